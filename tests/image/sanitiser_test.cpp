// The sanitiser: every real test file comes out clean by our own reader and by exiftool; JPEG
// pixels are untouched (or exactly turned upright); PNG and WebP lose their metadata chunks;
// broken files are refused with a named error.
#include "consentguard/image/sanitiser.h"

#include <Poco/JSON/Parser.h>
#include <libexif/exif-data.h>
#include <turbojpeg.h>
#include <webp/encode.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

#include "consentguard/image/metadata.h"
#include "image/image_fixtures.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

const std::vector<std::string> kMetadataFiles = {"Apple.jpg", "Canon.jpg", "ExtendedXMP.jpg",
                                                 "GPS.jpg",   "IPTC.jpg",  "MWG.jpg",
                                                 "PNG.png",   "XMP.jpg"};

image::SanitisedPhoto sanitiseOk(const Bytes& bytes) {
  auto photo = image::sanitise(bytes);
  EXPECT_TRUE(photo.ok()) << photo.error().code << ": " << photo.error().detail;
  return photo.ok() ? *photo : image::SanitisedPhoto{};
}

std::string sanitiseCode(const Bytes& bytes, const image::LoadLimits& limits = {}) {
  auto photo = image::sanitise(bytes, limits);
  if (photo.ok()) return "ok";
  EXPECT_FALSE(photo.error().message.empty());
  return photo.error().code;
}

bool contains(const Bytes& haystack, const std::string& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

Bytes jpegOf(const cv::Mat& rgb, int subsampling = TJSAMP_420) {
  tjhandle handle = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  tjCompress2(handle, rgb.data, rgb.cols, static_cast<int>(rgb.step), rgb.rows, TJPF_RGB, &out,
              &size, subsampling, 90, 0);
  Bytes jpeg(out, out + size);
  tjFree(out);
  tjDestroy(handle);
  return jpeg;
}

// A picture whose every quadrant differs, so any wrong turn or flip shows in the pixels.
cv::Mat testPicture(int width, int height) {
  cv::Mat rgb(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      rgb.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<std::uint8_t>(x * 255 / width),
                                          static_cast<std::uint8_t>(y * 255 / height),
                                          static_cast<std::uint8_t>((x < width / 3) * 200));
    }
  }
  return rgb;
}

ExifEntry* addEntry(ExifData* exif, ExifIfd ifd, ExifTag tag, ExifFormat format,
                    const Bytes& value) {
  ExifEntry* entry = exif_entry_new();
  entry->tag = tag;
  entry->format = format;
  entry->components = value.size() / exif_format_get_size(format);
  entry->size = value.size();
  entry->data = static_cast<unsigned char*>(malloc(value.size()));
  std::memcpy(entry->data, value.data(), value.size());
  exif_content_add_entry(exif->ifd[ifd], entry);
  exif_entry_unref(entry);
  return entry;
}

Bytes ascii(const std::string& text) { return Bytes(text.begin(), text.end() + 1); }

// EXIF made with libexif: orientation, a caption, a serial number, Windows XP tags and GPS.
Bytes exifPayload(int orientation, bool withGps) {
  ExifData* exif = exif_data_new();
  exif_data_set_byte_order(exif, EXIF_BYTE_ORDER_INTEL);
  addEntry(exif, EXIF_IFD_0, EXIF_TAG_ORIENTATION, EXIF_FORMAT_SHORT,
           {std::uint8_t(orientation), 0});
  addEntry(exif, EXIF_IFD_0, EXIF_TAG_IMAGE_DESCRIPTION, EXIF_FORMAT_ASCII,
           ascii("Secret caption naming Alice Example"));
  addEntry(exif, EXIF_IFD_0, EXIF_TAG_MAKE, EXIF_FORMAT_ASCII, ascii("SchoolCam"));
  addEntry(exif, EXIF_IFD_EXIF, static_cast<ExifTag>(0xa431), EXIF_FORMAT_ASCII, ascii("SN-0042"));
  addEntry(exif, EXIF_IFD_0, static_cast<ExifTag>(0x9c9c), EXIF_FORMAT_BYTE,
           {'B', 0, 'o', 0, 'b', 0, 0, 0});  // XPComment, UCS-2LE
  Bytes comment{'A', 'S', 'C', 'I', 'I', 0, 0, 0};
  for (char c : std::string("Trip to the zoo")) comment.push_back(static_cast<std::uint8_t>(c));
  addEntry(exif, EXIF_IFD_EXIF, EXIF_TAG_USER_COMMENT, EXIF_FORMAT_UNDEFINED, comment);
  if (withGps) {
    addEntry(exif, EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF), EXIF_FORMAT_ASCII,
             ascii("N"));
    addEntry(exif, EXIF_IFD_GPS, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE), EXIF_FORMAT_RATIONAL,
             Bytes{51, 0, 0, 0, 1, 0, 0, 0, 30, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0});
  }
  unsigned char* raw = nullptr;
  unsigned int size = 0;
  exif_data_save_data(exif, &raw, &size);  // starts with "Exif\0\0"
  Bytes payload(raw, raw + size);
  free(raw);
  exif_data_unref(exif);
  return payload;
}

double maxDifference(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size()) return 1e9;
  return cv::norm(a, b, cv::NORM_INF);
}

// --- exiftool as an independent judge ---

struct ExiftoolRun {
  bool available = false;
  Poco::JSON::Object::Ptr tags;
};

ExiftoolRun exiftool(const fs::path& file) {
  FILE* pipe = popen(("exiftool -j -a -G1 " + file.string() + " 2>/dev/null").c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer{};
  while (pipe && fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  const int status = pipe ? pclose(pipe) : -1;
  if (status != 0 || out.empty()) return {};
  Poco::JSON::Parser parser;
  auto array = parser.parse(out).extract<Poco::JSON::Array::Ptr>();
  return {true, array->getObject(0)};
}

// What exiftool may still report for a clean file: the file system, the codec's own header
// (JFIF, PNG IHDR/bKGD/pHYs...) and values it derives. Anything else is metadata left behind.
bool allowedExiftoolTag(const std::string& key) {
  static const std::map<std::string, std::set<std::string>> kAllowed = {
      {"ExifTool", {"ExifToolVersion"}},
      {"File",
       {"FileType", "FileTypeExtension", "MIMEType", "ImageWidth", "ImageHeight", "EncodingProcess",
        "BitsPerSample", "ColorComponents", "YCbCrSubSampling"}},
      {"JFIF", {"JFIFVersion", "ResolutionUnit", "XResolution", "YResolution"}},
      {"PNG", {"ImageWidth",  "ImageHeight",   "BitDepth",        "ColorType",
               "Compression", "Filter",        "Interlace",       "BackgroundColor",
               "Gamma",       "SRGBRendering", "SignificantBits", "Transparency",
               "Palette",     "WhitePointX",   "WhitePointY",     "RedX",
               "RedY",        "GreenX",        "GreenY",          "BlueX",
               "BlueY"}},
      {"PNG-pHYs", {"PixelsPerUnitX", "PixelsPerUnitY", "PixelUnits"}},
      {"RIFF",
       {"VP8Version", "ImageWidth", "ImageHeight", "HorizontalScale", "VerticalScale",
        "AlphaPreprocessing", "AlphaFiltering", "AlphaCompression"}},
      {"Composite", {"ImageSize", "Megapixels"}},
  };
  if (key == "SourceFile" || key.rfind("System:", 0) == 0) return true;
  const std::size_t colon = key.find(':');
  if (colon == std::string::npos) return false;
  auto group = kAllowed.find(key.substr(0, colon));
  return group != kAllowed.end() && group->second.count(key.substr(colon + 1)) > 0;
}

#define CG_REQUIRE_EXIFTOOL(run)                                                    \
  do {                                                                              \
    if (!(run).available) {                                                         \
      if (runningInCi()) FAIL() << "CI=true but exiftool is not installed";         \
      GTEST_SKIP() << "SKIPPED: exiftool not installed (apt-get install exiftool)"; \
    }                                                                               \
  } while (0)

fs::path writeScratch(const std::string& name, const Bytes& bytes) {
  const fs::path path = scratchDir("sanitiser-" + name) / name;
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  return path;
}

// --- the tests ---

TEST(Sanitiser, EveryTestFileComesOutCleanByOurReaderAndByExiftool) {
  CG_REQUIRE_SHARED_TESTDATA();
  for (const std::string& name : kMetadataFiles) {
    SCOPED_TRACE(name);
    const Bytes original = readTestFile("metadata/" + name);
    auto before = image::readMetadata(original);
    ASSERT_TRUE(before.ok());
    EXPECT_FALSE(before->blocks.empty());  // each file really carries metadata
    EXPECT_FALSE(image::verifyClean(original).ok());

    const image::SanitisedPhoto photo = sanitiseOk(original);
    EXPECT_EQ(photo.format, before->format);
    EXPECT_TRUE(image::verifyClean(photo.bytes).ok());
    auto after = image::readMetadata(photo.bytes);
    ASSERT_TRUE(after.ok());
    EXPECT_TRUE(after->blocks.empty());
    EXPECT_TRUE(after->text_fields.empty());
    EXPECT_FALSE(after->has_gps);
    EXPECT_TRUE(after->camera_make.empty() && after->camera_model.empty());
    for (const auto& field : before->text_fields) {
      EXPECT_FALSE(contains(photo.bytes, field.value)) << field.name << " survived";
    }

    const ExiftoolRun run = exiftool(writeScratch(name, photo.bytes));
    CG_REQUIRE_EXIFTOOL(run);
    std::vector<std::string> names;
    run.tags->getNames(names);
    for (const std::string& key : names) EXPECT_TRUE(allowedExiftoolTag(key)) << key << " remains";
  }
}

TEST(Sanitiser, ExiftoolSeesTheOriginalsMetadata) {
  // The judge itself must be able to fail: on an original file it reports EXIF, GPS and IPTC.
  CG_REQUIRE_SHARED_TESTDATA();
  const ExiftoolRun run = exiftool(testdata("metadata/GPS.jpg"));
  CG_REQUIRE_EXIFTOOL(run);
  for (const char* key : {"GPS:GPSLatitude", "IFD0:Make", "IPTC:Caption-Abstract"}) {
    EXPECT_TRUE(run.tags->has(key)) << key;
    EXPECT_FALSE(allowedExiftoolTag(key)) << key;
  }
}

TEST(Sanitiser, UnrotatedJpegPixelsAreBitForBitTheOriginals) {
  CG_REQUIRE_SHARED_TESTDATA();
  for (const char* name : {"groups/bbt1.jpg", "metadata/GPS.jpg", "metadata/Canon.jpg"}) {
    SCOPED_TRACE(name);
    const Bytes original = readTestFile(name);
    const image::SanitisedPhoto photo = sanitiseOk(original);
    EXPECT_TRUE(photo.lossless);
    EXPECT_EQ(photo.orientation_applied, 1);
    auto before = image::decodeImage(original);
    auto after = image::decodeImage(photo.bytes);
    ASSERT_TRUE(before.ok() && after.ok());
    EXPECT_EQ(maxDifference(before->rgb, after->rgb), 0.0);
  }
}

TEST(Sanitiser, MwgComesOutUprightWithoutItsOrientationTag) {
  CG_REQUIRE_SHARED_TESTDATA();
  const Bytes original = readTestFile("metadata/MWG.jpg");
  const image::SanitisedPhoto photo = sanitiseOk(original);
  EXPECT_EQ(photo.orientation_applied, 6);
  auto stored = image::readImageHeader(original);
  auto turned = image::readImageHeader(photo.bytes);
  ASSERT_TRUE(stored.ok() && turned.ok());
  EXPECT_EQ(turned->width, stored->height);
  EXPECT_EQ(turned->height, stored->width);
  EXPECT_EQ(image::readMetadata(photo.bytes)->orientation, 1);
  auto upright = image::decodeImage(original);
  auto published = image::decodeImage(photo.bytes);
  ASSERT_TRUE(upright.ok() && published.ok());
  EXPECT_EQ(published->orientation, 1);
  EXPECT_LE(maxDifference(upright->rgb, published->rgb), 8.0);
}

// Each orientation on a picture whose size is a whole number of MCUs: a perfect lossless turn
// whose pixels match the loader's own upright decode (up to IDCT and chroma rounding).
TEST(Sanitiser, EveryOrientationIsTurnedLosslesslyAndMatchesTheLoader) {
  const Bytes plain = jpegOf(testPicture(96, 64));
  for (int orientation = 1; orientation <= 8; ++orientation) {
    SCOPED_TRACE(orientation);
    const Bytes original = withSegment(plain, 0xe1, exifPayload(orientation, false));
    const image::SanitisedPhoto photo = sanitiseOk(original);
    EXPECT_TRUE(photo.lossless);
    EXPECT_EQ(photo.orientation_applied, orientation);
    auto upright = image::decodeImage(original);
    auto published = image::decodeImage(photo.bytes);
    ASSERT_TRUE(upright.ok() && published.ok());
    EXPECT_EQ(published->orientation, 1);  // upright in its pixels, not by a tag
    EXPECT_TRUE(image::verifyClean(photo.bytes).ok());
    auto header = image::readImageHeader(photo.bytes);
    ASSERT_TRUE(header.ok());
    EXPECT_EQ(header->width, orientation >= 5 ? 64 : 96);
    EXPECT_EQ(published->rgb.size(), upright->rgb.size());
    EXPECT_LE(maxDifference(upright->rgb, published->rgb), orientation == 1 ? 0.0 : 12.0);
  }
}

TEST(Sanitiser, PartialMcuEdgesAreTrimmedByLessThanOneMcu) {
  const Bytes original = withSegment(jpegOf(testPicture(100, 70)), 0xe1, exifPayload(6, false));
  const image::SanitisedPhoto photo = sanitiseOk(original);
  EXPECT_TRUE(photo.lossless);
  auto header = image::readImageHeader(photo.bytes);
  ASSERT_TRUE(header.ok());
  EXPECT_GT(header->width, 70 - 16);  // the stored picture's bottom edge is now the left edge
  EXPECT_LE(header->width, 70);
  EXPECT_EQ(header->height, 100);
}

TEST(Sanitiser, GeneratedGpsCaptionSerialCommentAndTrailingDataAreRemoved) {
  Bytes original = withSegment(jpegOf(testPicture(64, 48)), 0xe1, exifPayload(1, true));
  original = withSegment(original, 0xfe, ascii("Comment about Bob Example"));
  original.insert(original.end(), {'T', 'R', 'A', 'I', 'L', 'E', 'R'});
  auto before = image::readMetadata(original);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->has_gps);
  EXPECT_EQ(before->camera_make, "SchoolCam");
  EXPECT_EQ(before->camera_serial, "SN-0042");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"EXIF ImageDescription", "Secret caption naming Alice Example"},
      {"EXIF XPComment", "Bob"},
      {"EXIF UserComment", "Trip to the zoo"},
      {"JPEG comment", "Comment about Bob Example"}};
  for (const auto& [name, value] : expected) {
    EXPECT_TRUE(std::any_of(before->text_fields.begin(), before->text_fields.end(),
                            [&](const auto& f) { return f.name == name && f.value == value; }))
        << name;
  }
  EXPECT_EQ(before->blocks, (std::vector<std::string>{"JPEG comment", "EXIF", "Trailing data"}));

  const image::SanitisedPhoto photo = sanitiseOk(original);
  for (const char* needle : {"Alice", "Bob", "SchoolCam", "SN-0042", "TRAILER", "zoo", "Exif"}) {
    EXPECT_FALSE(contains(photo.bytes, needle)) << needle;
  }
  EXPECT_EQ(photo.bytes[photo.bytes.size() - 2], 0xff);
  EXPECT_EQ(photo.bytes.back(), 0xd9);
}

TEST(Sanitiser, VerifyCleanNamesWhatIsLeft) {
  CG_REQUIRE_SHARED_TESTDATA();
  Status status = image::verifyClean(readTestFile("metadata/GPS.jpg"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "not_clean");
  for (const char* what : {"block EXIF", "block IPTC", "GPS", "camera make"}) {
    EXPECT_NE(status.error().detail.find(what), std::string::npos) << what;
  }
}

TEST(Sanitiser, LimitsAreEnforcedBeforeAnyWork) {
  CG_REQUIRE_SHARED_TESTDATA();
  const Bytes photo = readTestFile("groups/bbt1.jpg");
  EXPECT_EQ(sanitiseCode(photo, {.max_bytes = 1000, .max_pixels = 60'000'000}), "too_large");
  EXPECT_EQ(sanitiseCode(photo, {.max_bytes = 64u << 20, .max_pixels = 1000}), "too_many_pixels");
}

TEST(Sanitiser, BrokenJpegsAreRefused) {
  Bytes truncated = jpegOf(testPicture(256, 256));
  truncated.resize(truncated.size() / 2);
  EXPECT_EQ(sanitiseCode(truncated), "truncated");
  EXPECT_EQ(sanitiseCode({}), "empty");
  EXPECT_EQ(sanitiseCode(ascii("just some words in a text file")), "not_an_image");
}

// --- PNG and WebP ---

// A PNG made by OpenCV with extra chunks inserted before IEND.
Bytes pngWith(const std::vector<Bytes>& chunks) {
  cv::Mat bgr;
  cv::cvtColor(testPicture(40, 30), bgr, cv::COLOR_RGB2BGR);
  Bytes png;
  cv::imencode(".png", bgr, png);
  for (const Bytes& chunk : chunks) png.insert(png.end() - 12, chunk.begin(), chunk.end());
  return png;
}

TEST(Sanitiser, PngKeepsItsPixelsAndLosesTextTimeAndExif) {
  const Bytes exif = exifPayload(1, true);
  const Bytes tiff(exif.begin() + 6, exif.end());  // eXIf holds the TIFF without "Exif\0\0"
  const Bytes text{'A', 'u', 't', 'h', 'o', 'r', 0, 'C', 'a', 'r', 'o', 'l'};
  const Bytes original =
      pngWith({pngChunk("tEXt", text), pngChunk("tIME", {0x07, 0xe8, 1, 2, 3, 4, 5}),
               pngChunk("eXIf", tiff), pngChunk("prVt", {1, 2, 3})});
  auto before = image::readMetadata(original);
  ASSERT_TRUE(before.ok()) << before.error().detail;
  EXPECT_EQ(before->blocks,
            (std::vector<std::string>{"PNG text", "PNG tIME", "PNG eXIf", "PNG prVt chunk"}));
  EXPECT_TRUE(before->has_gps);
  EXPECT_EQ(before->camera_make, "SchoolCam");
  const image::SanitisedPhoto photo = sanitiseOk(original);
  EXPECT_TRUE(photo.lossless);
  EXPECT_FALSE(contains(photo.bytes, "Carol"));
  EXPECT_FALSE(contains(photo.bytes, "SchoolCam"));
  auto a = image::decodeImage(original), b = image::decodeImage(photo.bytes);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(maxDifference(a->rgb, b->rgb), 0.0);
}

TEST(Sanitiser, PngWithABadCrcIsCorrupt) {
  CG_REQUIRE_SHARED_TESTDATA();
  Bytes png = readTestFile("metadata/PNG.png");
  const std::string word = "test comment";
  const auto at = std::search(png.begin(), png.end(), word.begin(), word.end());
  ASSERT_NE(at, png.end());
  *at = 'b';
  EXPECT_EQ(sanitiseCode(png), "corrupt");
  EXPECT_EQ(image::readMetadata(png).error().code, "corrupt");
}

Bytes riffChunk(const std::string& fourcc, const Bytes& data) {
  Bytes out(fourcc.begin(), fourcc.end());
  for (int i = 0; i < 4; ++i) out.push_back(std::uint8_t(data.size() >> (8 * i)));
  out.insert(out.end(), data.begin(), data.end());
  if (data.size() % 2) out.push_back(0);
  return out;
}

TEST(Sanitiser, WebpIsReencodedWithoutItsExifAndXmp) {
  const cv::Mat rgb = testPicture(48, 32);
  std::uint8_t* encoded = nullptr;
  const std::size_t size =
      WebPEncodeRGB(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), 90, &encoded);
  ASSERT_GT(size, 12u);
  const Bytes simple(encoded, encoded + size);
  WebPFree(encoded);
  // RIFF, then VP8X (flags: EXIF 0x08, XMP 0x04; canvas size - 1), the image, EXIF and XMP.
  const std::string xmp = "<x:xmpmeta><dc:title>Dave Example</dc:title></x:xmpmeta>";
  Bytes body{'W', 'E', 'B', 'P'};
  for (const Bytes& part :
       {riffChunk("VP8X", {0x0c, 0, 0, 0, 47, 0, 0, 31, 0, 0}),
        Bytes(simple.begin() + 12, simple.end()), riffChunk("EXIF", exifPayload(1, true)),
        riffChunk("XMP ", Bytes(xmp.begin(), xmp.end()))}) {
    body.insert(body.end(), part.begin(), part.end());
  }
  Bytes webp{'R', 'I', 'F', 'F'};
  for (int i = 0; i < 4; ++i) webp.push_back(std::uint8_t(body.size() >> (8 * i)));
  webp.insert(webp.end(), body.begin(), body.end());

  auto before = image::readMetadata(webp);
  ASSERT_TRUE(before.ok()) << before.error().detail;
  EXPECT_EQ(before->blocks, (std::vector<std::string>{"WebP EXIF", "WebP XMP"}));
  EXPECT_TRUE(before->has_gps);
  EXPECT_TRUE(std::any_of(before->text_fields.begin(), before->text_fields.end(),
                          [](const auto& f) { return f.value == "Dave Example"; }));
  const image::SanitisedPhoto photo = sanitiseOk(webp);
  EXPECT_EQ(photo.format, image::ImageFormat::kWebp);
  EXPECT_FALSE(photo.lossless);
  EXPECT_FALSE(contains(photo.bytes, "Dave"));
  EXPECT_FALSE(contains(photo.bytes, "SchoolCam"));
}

}  // namespace
}  // namespace consentguard::testing
