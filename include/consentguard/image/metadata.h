// Reads what a photo's metadata says about where it came from and what it says in words, before
// the sanitiser removes it: camera make, model and serial (for the device register), GPS, date,
// software, and every free-text field (for the full-name rule). It also lists every metadata
// block the file carries, so that the sanitiser's output can be re-read and found clean.
// EXIF is parsed with libexif; XMP, extended XMP, IPTC/Photoshop, MPF, ICC, comments and bytes
// after the end marker are found by walking the JPEG segments; PNG text chunks by walking chunks.
// Hostile metadata (offsets out of range, loops, huge counts) is an Error for that file, never a
// crash. Free functions; thread-safe. The returned value owns its strings.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/image/image_format.h"

namespace consentguard::image {

struct TextField {
  std::string name;   // where it was found, e.g. "EXIF ImageDescription", "IPTC Caption",
                      // "XMP dc:title", "PNG tEXt Comment", "JPEG comment"
  std::string value;  // UTF-8 as far as the file allows; never empty
};

struct PhotoMetadata {
  ImageFormat format = ImageFormat::kJpeg;
  std::string camera_make;    // EXIF Make, trimmed; empty when absent
  std::string camera_model;   // EXIF Model
  std::string camera_serial;  // EXIF BodySerialNumber (or maker-note-free equivalents); empty
  bool has_gps = false;       // any GPS data at all (GPS IFD, XMP exif:GPS*)
  std::string date_taken;     // EXIF DateTimeOriginal (else DateTime), as recorded
  std::string software;       // EXIF Software
  int orientation = 1;        // EXIF Orientation 1-8
  std::vector<TextField> text_fields;
  // Every metadata block present, by name, in file order: "EXIF", "EXIF thumbnail",
  // "EXIF maker note", "XMP", "Extended XMP", "IPTC", "MPF", "ICC profile", "JPEG comment",
  // "Trailing data", "PNG text", "PNG eXIf", "PNG tIME", "PNG iCCP", "WebP EXIF", "WebP XMP", ...
  // and, for anything not recognised, "APP11", "PNG prVt chunk", "WebP ABCD chunk". Codec
  // markers (JFIF without a thumbnail, Adobe APP14) are not blocks. Each name appears once.
  // A sanitised photo has none of them.
  std::vector<std::string> blocks;
};

// Errors: whatever readImageHeader gives (not an image, truncated...), "truncated" (no JPEG EOI
// or PNG IEND), "corrupt" (a PNG chunk CRC that does not match), and "bad_metadata" for
// metadata that is malformed or hostile: EXIF offsets out of range, IFD loops, entry counts past
// the end, segment or chunk lengths past the end, extended XMP claiming more than the file,
// compressed text that inflates past 1 MiB (its message says the photo cannot be checked).
// Memory use is bounded by the file's size plus a fixed amount.
Result<PhotoMetadata> readMetadata(std::span<const std::uint8_t> bytes);

}  // namespace consentguard::image
