// EXIF: first our own walk over the TIFF structure, which refuses offsets out of range, IFD
// loops and entry counts past the end (libexif would silently skip them, and a file that hides
// data behind broken offsets is not one we can vouch for); then libexif reads the fields.
#include <libexif/exif-data.h>

#include <algorithm>
#include <memory>
#include <set>
#include <vector>

#include "metadata_parts.h"

namespace consentguard::image::detail {
namespace {

constexpr std::uint16_t kExifIfdPointer = 0x8769;
constexpr std::uint16_t kGpsIfdPointer = 0x8825;
constexpr std::uint16_t kInteropIfdPointer = 0xa005;
constexpr int kMaxIfds = 16;

class TiffWalker {
 public:
  explicit TiffWalker(ByteSpan tiff) : tiff_(tiff) {}

  Status validate() {
    if (tiff_.size() < 8) return badMetadata("EXIF shorter than its TIFF header");
    if (hasPrefix(tiff_, "II")) {
      little_ = true;
    } else if (!hasPrefix(tiff_, "MM")) {
      return badMetadata("EXIF byte order mark missing");
    }
    if (read16(2) != 42) return badMetadata("EXIF TIFF magic number is not 42");
    return walkIfd(read32(4), true);
  }

 private:
  std::uint16_t read16(std::size_t at) const {
    const std::uint8_t* p = tiff_.data() + at;
    return little_ ? static_cast<std::uint16_t>(p[0] | (p[1] << 8)) : readBe16(p);
  }
  std::uint32_t read32(std::size_t at) const {
    return little_ ? readLe32(tiff_.data() + at) : readBe32(tiff_.data() + at);
  }

  static std::uint64_t formatSize(std::uint16_t format) {
    switch (format) {
      case 1:
      case 2:
      case 6:
      case 7:
        return 1;
      case 3:
      case 8:
        return 2;
      case 4:
      case 9:
      case 11:
      case 13:
        return 4;
      case 5:
      case 10:
      case 12:
        return 8;
      default:
        return 0;  // unknown formats are skipped by libexif too
    }
  }

  Status walkIfd(std::uint32_t offset, bool followNext) {
    if (++ifds_ > kMaxIfds) return badMetadata("EXIF has too many IFDs");
    if (offset < 8 || offset > tiff_.size() - 2) {
      return badMetadata("EXIF IFD offset " + std::to_string(offset) + " is outside the data");
    }
    if (!visited_.insert(offset).second) return badMetadata("EXIF IFDs form a loop");
    const std::uint64_t count = read16(offset);
    const std::uint64_t end = offset + 2 + count * 12;
    if (end > tiff_.size()) {
      return badMetadata("EXIF IFD claims " + std::to_string(count) +
                         " entries, more than the data holds");
    }
    for (std::uint64_t i = 0; i < count; ++i) {
      Status status = checkEntry(offset + 2 + i * 12);
      if (!status) return status;
    }
    // Only IFD0's link to IFD1 (the thumbnail) matters; sub-IFDs' links are ignored by readers.
    if (followNext && end + 4 <= tiff_.size()) {
      const std::uint32_t next = read32(end);
      if (next != 0) return walkIfd(next, false);
    }
    return okStatus();
  }

  Status checkEntry(std::size_t at) {
    const std::uint16_t tag = read16(at);
    const std::uint16_t format = read16(at + 2);
    const std::uint64_t size = formatSize(format) * read32(at + 4);
    if (size > 4) {
      const std::uint64_t valueOffset = read32(at + 8);
      if (valueOffset + size > tiff_.size()) {
        return badMetadata("EXIF tag 0x" + hex(tag) + " points outside the data");
      }
    }
    if (tag == kExifIfdPointer || tag == kGpsIfdPointer || tag == kInteropIfdPointer) {
      return walkIfd(read32(at + 8), false);
    }
    return okStatus();
  }

  static std::string hex(std::uint16_t v) {
    static const char* digits = "0123456789abcdef";
    return {digits[v >> 12], digits[(v >> 8) & 15], digits[(v >> 4) & 15], digits[v & 15]};
  }

  ByteSpan tiff_;
  bool little_ = false;
  int ifds_ = 0;
  std::set<std::uint32_t> visited_;
};

using ExifPtr = std::unique_ptr<ExifData, decltype(&exif_data_unref)>;

std::string_view rawText(const ExifEntry* entry) {
  if (!entry || !entry->data) return {};
  std::string_view text(reinterpret_cast<const char*>(entry->data), entry->size);
  return text.substr(0, text.find('\0'));
}

std::string asciiField(ExifData* data, ExifIfd ifd, ExifTag tag) {
  return trim(toUtf8(rawText(exif_content_get_entry(data->ifd[ifd], tag))));
}

// UserComment starts with 8 bytes naming its character set; cameras fill it with blanks.
std::string userComment(const ExifEntry* entry, bool little) {
  if (!entry || !entry->data || entry->size <= 8) return {};
  const ByteSpan body(entry->data + 8, entry->size - 8);
  if (hasPrefix({entry->data, 8}, "UNICODE")) return utf16ToUtf8(body, little);
  std::string_view text(reinterpret_cast<const char*>(body.data()), body.size());
  return toUtf8(text.substr(0, text.find('\0')));
}

void readFields(ExifData* data, PhotoMetadata& out, bool first) {
  const bool little = exif_data_get_byte_order(data) == EXIF_BYTE_ORDER_INTEL;
  auto fill = [](std::string& field, std::string value) {
    if (field.empty()) field = std::move(value);
  };
  fill(out.camera_make, asciiField(data, EXIF_IFD_0, EXIF_TAG_MAKE));
  fill(out.camera_model, asciiField(data, EXIF_IFD_0, EXIF_TAG_MODEL));
  fill(out.camera_serial, asciiField(data, EXIF_IFD_EXIF, EXIF_TAG_BODY_SERIAL_NUMBER));
  fill(out.software, asciiField(data, EXIF_IFD_0, EXIF_TAG_SOFTWARE));
  fill(out.date_taken, asciiField(data, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL));
  fill(out.date_taken, asciiField(data, EXIF_IFD_0, EXIF_TAG_DATE_TIME));
  if (data->ifd[EXIF_IFD_GPS]->count > 0) out.has_gps = true;

  const ExifEntry* orientation =
      exif_content_get_entry(data->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
  if (first && orientation && orientation->format == EXIF_FORMAT_SHORT && orientation->size >= 2) {
    const int value = exif_get_short(orientation->data, exif_data_get_byte_order(data));
    out.orientation = (value >= 1 && value <= 8) ? value : 1;
  }

  const struct {
    ExifIfd ifd;
    ExifTag tag;
    const char* name;
  } kAscii[] = {
      {EXIF_IFD_0, EXIF_TAG_IMAGE_DESCRIPTION, "EXIF ImageDescription"},
      {EXIF_IFD_0, EXIF_TAG_ARTIST, "EXIF Artist"},
      {EXIF_IFD_0, EXIF_TAG_COPYRIGHT, "EXIF Copyright"},
      {EXIF_IFD_EXIF, EXIF_TAG_CAMERA_OWNER_NAME, "EXIF CameraOwnerName"},
  };
  for (const auto& field : kAscii) {
    addText(out, field.name, rawText(exif_content_get_entry(data->ifd[field.ifd], field.tag)));
  }
  addText(
      out, "EXIF UserComment",
      userComment(exif_content_get_entry(data->ifd[EXIF_IFD_EXIF], EXIF_TAG_USER_COMMENT), little));
  const struct {
    ExifTag tag;
    const char* name;
  } kWindows[] = {
      {EXIF_TAG_XP_TITLE, "EXIF XPTitle"},     {EXIF_TAG_XP_COMMENT, "EXIF XPComment"},
      {EXIF_TAG_XP_AUTHOR, "EXIF XPAuthor"},   {EXIF_TAG_XP_KEYWORDS, "EXIF XPKeywords"},
      {EXIF_TAG_XP_SUBJECT, "EXIF XPSubject"},
  };
  for (const auto& field : kWindows) {
    const ExifEntry* entry = exif_content_get_entry(data->ifd[EXIF_IFD_0], field.tag);
    if (entry && entry->data)
      addText(out, field.name, utf16ToUtf8({entry->data, entry->size}, true));
  }
}

// readExifOrientation() loads EXIF following the specification, and libexif then turns an
// Orientation stored as BYTE, SBYTE, SSHORT, LONG or SLONG into a SHORT (exif_entry_fix). Here
// the tags are kept as stored, so the same conversion is made on the value alone.
int specOrientation(ExifData* data) {
  const ExifEntry* entry = exif_content_get_entry(data->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
  if (!entry || !entry->data || entry->components < 1) return 1;
  const ExifByteOrder order = exif_data_get_byte_order(data);
  const std::size_t size = entry->size;
  std::uint16_t value = 0;
  switch (entry->format) {
    case EXIF_FORMAT_SHORT:
      if (size < 2) return 1;
      value = exif_get_short(entry->data, order);
      break;
    case EXIF_FORMAT_SSHORT:
      if (size < 2) return 1;
      value = static_cast<std::uint16_t>(exif_get_sshort(entry->data, order));
      break;
    case EXIF_FORMAT_LONG:
      if (size < 4) return 1;
      value = static_cast<std::uint16_t>(exif_get_long(entry->data, order));
      break;
    case EXIF_FORMAT_SLONG:
      if (size < 4) return 1;
      value = static_cast<std::uint16_t>(exif_get_slong(entry->data, order));
      break;
    case EXIF_FORMAT_BYTE:
    case EXIF_FORMAT_SBYTE:
      value = entry->data[0];
      break;
    default:
      return 1;
  }
  return (value >= 1 && value <= 8) ? value : 1;
}

// Maker notes are the vendor's own format; libexif understands the common ones. Owner names
// typed into the camera are the only free text in them that matters to the full-name rule.
void readMakerNote(ExifData* data, PhotoMetadata& out) {
  ExifMnoteData* note = exif_data_get_mnote_data(data);
  if (!note) return;
  const unsigned count = exif_mnote_data_count(note);
  for (unsigned i = 0; i < count && i < 4096; ++i) {
    const char* name = exif_mnote_data_get_name(note, i);
    if (!name || std::string_view(name).find("Owner") == std::string_view::npos) continue;
    char value[1024] = {};
    if (exif_mnote_data_get_value(note, i, value, sizeof(value))) {
      addText(out, std::string("EXIF maker note ") + name, value);
    }
  }
}

}  // namespace

Status readExif(ByteSpan tiff, PhotoMetadata& out, const std::string& where,
                int* pixel_orientation) {
  const bool first = std::find(out.blocks.begin(), out.blocks.end(), where) == out.blocks.end();
  addBlock(out, where);
  Status valid = TiffWalker(tiff).validate();
  if (!valid) return valid;

  ExifPtr data(exif_data_new(), &exif_data_unref);
  if (!data) return makeError("internal", "The photo could not be read.", "exif_data_new");
  // Keep every tag as stored: unknown tags may still hold text, and "fixing" would invent values.
  exif_data_unset_option(data.get(), EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
  exif_data_unset_option(data.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  std::vector<std::uint8_t> withHeader{'E', 'x', 'i', 'f', 0, 0};
  withHeader.insert(withHeader.end(), tiff.begin(), tiff.end());
  exif_data_load_data(data.get(), withHeader.data(), static_cast<unsigned>(withHeader.size()));

  readFields(data.get(), out, first);
  if (pixel_orientation) *pixel_orientation = specOrientation(data.get());
  if (data->ifd[EXIF_IFD_1]->count > 0 || data->size > 0) addBlock(out, where + " thumbnail");
  if (exif_content_get_entry(data->ifd[EXIF_IFD_EXIF], EXIF_TAG_MAKER_NOTE)) {
    addBlock(out, where + " maker note");
    readMakerNote(data.get(), out);
  }
  return okStatus();
}

}  // namespace consentguard::image::detail
