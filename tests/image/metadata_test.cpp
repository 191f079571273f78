// The metadata reader on real files (values checked against `exiftool -a -G1`) and on hostile
// ones generated here: every malformed input is a named error, never a crash or a huge
// allocation.
#include "consentguard/image/metadata.h"

#include <libexif/exif-data.h>
#include <turbojpeg.h>
#include <zlib.h>

#include <algorithm>
#include <random>

#include "consentguard/image/image_loader.h"
#include "consentguard/image/sanitiser.h"
#include "image/image_fixtures.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

using image::PhotoMetadata;
using image::readMetadata;

PhotoMetadata readOk(const Bytes& bytes) {
  auto metadata = readMetadata(bytes);
  EXPECT_TRUE(metadata.ok()) << metadata.error().code << ": " << metadata.error().detail;
  return metadata.ok() ? *metadata : PhotoMetadata{};
}

bool hasText(const PhotoMetadata& m, const std::string& name, const std::string& value) {
  return std::any_of(m.text_fields.begin(), m.text_fields.end(),
                     [&](const auto& f) { return f.name == name && f.value == value; });
}

bool hasBlock(const PhotoMetadata& m, const std::string& block) {
  return std::find(m.blocks.begin(), m.blocks.end(), block) != m.blocks.end();
}

// A small, plain JPEG (no markers but the codec's own) made with libjpeg-turbo.
Bytes plainJpeg(int width = 64, int height = 48) {
  std::vector<std::uint8_t> rgb(std::size_t(width) * height * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::uint8_t>((i * 7) % 251);
  tjhandle handle = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  tjCompress2(handle, rgb.data(), width, 0, height, TJPF_RGB, &out, &size, TJSAMP_420, 90, 0);
  Bytes jpeg(out, out + size);
  tjFree(out);
  tjDestroy(handle);
  return jpeg;
}

Bytes exifApp1(const Bytes& tiff) {
  Bytes payload{'E', 'x', 'i', 'f', 0, 0};
  payload.insert(payload.end(), tiff.begin(), tiff.end());
  return payload;
}

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = v & 0xff;
  b[at + 1] = v >> 8;
}
void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = std::uint8_t(v >> (8 * i));
}

// A little-endian TIFF with one IFD0 holding ImageDescription (20 bytes at offset 26).
Bytes handMadeTiff() {
  Bytes tiff(26 + 20, 0);
  tiff[0] = tiff[1] = 'I';
  put16(tiff, 2, 42);
  put32(tiff, 4, 8);
  put16(tiff, 8, 1);
  put16(tiff, 10, 0x010e);
  put16(tiff, 12, 2);  // ASCII
  put32(tiff, 14, 20);
  put32(tiff, 18, 26);
  put32(tiff, 22, 0);  // no IFD1
  std::copy_n("Hand made caption", 17, tiff.begin() + 26);
  return tiff;
}

std::string codeOf(const Bytes& bytes) {
  auto metadata = readMetadata(bytes);
  if (metadata.ok()) return "ok";
  EXPECT_FALSE(metadata.error().message.empty());
  return metadata.error().code;
}

TEST(Metadata, CanonMakeModelDateAndOwnerNameInTheMakerNote) {
  CG_REQUIRE_SHARED_TESTDATA();
  const PhotoMetadata m = readOk(readTestFile("metadata/Canon.jpg"));
  EXPECT_EQ(m.format, image::ImageFormat::kJpeg);
  EXPECT_EQ(m.camera_make, "Canon");
  EXPECT_EQ(m.camera_model, "Canon EOS DIGITAL REBEL");
  EXPECT_EQ(m.date_taken, "2003:12:04 06:46:52");
  EXPECT_FALSE(m.has_gps);
  EXPECT_EQ(m.orientation, 1);
  EXPECT_TRUE(hasBlock(m, "EXIF"));
  EXPECT_TRUE(hasBlock(m, "EXIF maker note"));
  EXPECT_TRUE(hasText(m, "EXIF maker note OwnerName", "Phil Harvey"));
  // Its UserComment is all blanks: no text field for it.
  for (const auto& field : m.text_fields) EXPECT_NE(field.name, "EXIF UserComment");
}

TEST(Metadata, AppleGpsSoftwareAndThumbnail) {
  CG_REQUIRE_SHARED_TESTDATA();
  const PhotoMetadata m = readOk(readTestFile("metadata/Apple.jpg"));
  EXPECT_EQ(m.camera_make, "Apple");
  EXPECT_EQ(m.camera_model, "iPhone 7");
  EXPECT_EQ(m.software, "10.0.2");
  EXPECT_EQ(m.date_taken, "2016:09:28 18:18:05");
  EXPECT_TRUE(m.has_gps);
  EXPECT_TRUE(hasBlock(m, "EXIF thumbnail"));
  EXPECT_TRUE(hasBlock(m, "EXIF maker note"));
}

TEST(Metadata, GpsFileHasGpsExifTextAndIptc) {
  CG_REQUIRE_SHARED_TESTDATA();
  const PhotoMetadata m = readOk(readTestFile("metadata/GPS.jpg"));
  EXPECT_TRUE(m.has_gps);
  EXPECT_EQ(m.camera_make, "FUJIFILM");
  EXPECT_EQ(m.camera_model, "FinePixS1Pro");
  EXPECT_EQ(m.software, "Adobe Photoshop 7.0");
  EXPECT_EQ(m.date_taken, "2002:07:13 15:58:28");
  EXPECT_TRUE(hasText(m, "EXIF ImageDescription", "Communications"));
  EXPECT_TRUE(hasText(m, "EXIF Artist", "Ian Britton"));
  EXPECT_TRUE(hasText(m, "EXIF Copyright", "ian Britton - FreeFoto.com"));
  EXPECT_TRUE(hasText(m, "IPTC By-line", "Ian Britton"));
  EXPECT_TRUE(hasBlock(m, "IPTC"));
}

TEST(Metadata, IptcCaptionHeadlineKeywordsObjectNameByline) {
  CG_REQUIRE_SHARED_TESTDATA();
  const PhotoMetadata m = readOk(readTestFile("metadata/IPTC.jpg"));
  EXPECT_TRUE(hasText(m, "IPTC Caption", "A witty caption"));
  EXPECT_TRUE(hasText(m, "IPTC Headline", "No headline"));
  EXPECT_TRUE(hasText(m, "IPTC Object name", "Test IPTC picture"));
  EXPECT_TRUE(hasText(m, "IPTC By-line", "Phil Harvey"));
  for (const char* keyword : {"ExifTool", "Test", "IPTC"}) {
    EXPECT_TRUE(hasText(m, "IPTC Keywords", keyword)) << keyword;
  }
  EXPECT_TRUE(m.camera_make.empty());
  EXPECT_EQ(m.blocks, (std::vector<std::string>{"Photoshop", "IPTC"}));
}

TEST(Metadata, Utf16XmpTextIccProfileAndExif) {
  CG_REQUIRE_SHARED_TESTDATA();
  const PhotoMetadata m = readOk(readTestFile("metadata/XMP.jpg"));
  EXPECT_EQ(m.camera_model, "FinePix2400Zoom");
  EXPECT_TRUE(hasText(m, "XMP dc:title", "Test IPTC picture"));
  EXPECT_TRUE(hasText(m, "XMP dc:description", "UTF-16 (big-endian) encoded XMP"));
  EXPECT_TRUE(hasText(m, "XMP dc:creator", "Phil Harvey"));
  EXPECT_TRUE(hasText(m, "XMP photoshop:Headline", "No headline"));
  for (const char* subject : {"ExifTool", "Test", "XMP"}) {
    EXPECT_TRUE(hasText(m, "XMP dc:subject", subject)) << subject;
  }
  EXPECT_TRUE(hasText(m, "EXIF ImageDescription", "A witty caption"));
  EXPECT_TRUE(hasBlock(m, "XMP"));
  EXPECT_TRUE(hasBlock(m, "ICC profile"));
}

TEST(Metadata, ExtendedXmpIsReassembled) {
  CG_REQUIRE_SHARED_TESTDATA();
  const PhotoMetadata m = readOk(readTestFile("metadata/ExtendedXMP.jpg"));
  EXPECT_TRUE(hasBlock(m, "Extended XMP"));
  EXPECT_TRUE(hasBlock(m, "XMP"));
  // Both values live only in the extended packet, split over two out-of-order segments.
  EXPECT_TRUE(hasText(m, "XMP pdf:Title", "PDF Title"));
  EXPECT_TRUE(hasText(m, "XMP pdf:Author", "PhilToo"));
}

TEST(Metadata, MwgOrientationSixAndEveryTextSource) {
  CG_REQUIRE_SHARED_TESTDATA();
  const PhotoMetadata m = readOk(readTestFile("metadata/MWG.jpg"));
  EXPECT_EQ(m.orientation, 6);
  EXPECT_EQ(m.date_taken, "2001:01:01 01:11:11");
  EXPECT_TRUE(hasText(m, "EXIF ImageDescription", "RIGHT-EXIF-Description"));
  EXPECT_TRUE(hasText(m, "EXIF Artist", "RIGHT1of2-EXIF-Creator; RIGHT2of2-EXIF-Creator"));
  EXPECT_TRUE(hasText(m, "XMP dc:rights", "RIGHT-XMP-Copyright"));
  EXPECT_TRUE(hasText(m, "XMP dc:subject", "RIGHT2of2-XMP-Keywords"));
  EXPECT_TRUE(hasText(m, "IPTC Caption", "WRONG-IPTC-Description"));
}

TEST(Metadata, PngTextChunkAndXmpInITxt) {
  CG_REQUIRE_SHARED_TESTDATA();
  const PhotoMetadata m = readOk(readTestFile("metadata/PNG.png"));
  EXPECT_EQ(m.format, image::ImageFormat::kPng);
  EXPECT_TRUE(hasText(m, "PNG tEXt comment", "test comment"));
  EXPECT_TRUE(hasText(m, "XMP dc:creator", "Phil Harvey"));
  EXPECT_EQ(m.blocks, (std::vector<std::string>{"PNG text", "XMP"}));
}

TEST(Metadata, APlainJpegHasNoMetadata) {
  const PhotoMetadata m = readOk(plainJpeg());
  EXPECT_TRUE(m.blocks.empty());
  EXPECT_TRUE(m.text_fields.empty());
  EXPECT_EQ(m.orientation, 1);
}

TEST(Metadata, CommentsTrailingDataAndUnknownAppSegmentsAreBlocks) {
  Bytes jpeg = withSegment(plainJpeg(), 0xfe, {'M', 'r', ' ', 'S', 'm', 'i', 't', 'h'});
  jpeg = withSegment(jpeg, 0xeb, {'J', 'P', 0, 1});
  jpeg.insert(jpeg.end(), {'h', 'i', 'd', 'd', 'e', 'n'});
  const PhotoMetadata m = readOk(jpeg);
  EXPECT_TRUE(hasText(m, "JPEG comment", "Mr Smith"));
  EXPECT_EQ(m.blocks, (std::vector<std::string>{"APP11", "JPEG comment", "Trailing data"}));
}

TEST(Metadata, HandMadeExifIsRead) {
  const PhotoMetadata m = readOk(withSegment(plainJpeg(), 0xe1, exifApp1(handMadeTiff())));
  EXPECT_TRUE(hasText(m, "EXIF ImageDescription", "Hand made caption"));
}

TEST(Metadata, HostileExifIsBadMetadata) {
  const Bytes jpeg = plainJpeg();
  Bytes pastEnd = handMadeTiff();
  put32(pastEnd, 4, 0x10000);
  EXPECT_EQ(codeOf(withSegment(jpeg, 0xe1, exifApp1(pastEnd))), "bad_metadata");

  Bytes loop = handMadeTiff();  // the one entry becomes an Exif-IFD pointer back to IFD0
  put16(loop, 10, 0x8769);
  put16(loop, 12, 4);
  put32(loop, 14, 1);
  put32(loop, 18, 8);
  EXPECT_EQ(codeOf(withSegment(jpeg, 0xe1, exifApp1(loop))), "bad_metadata");

  Bytes hugeCount = handMadeTiff();
  put16(hugeCount, 8, 0xffff);
  EXPECT_EQ(codeOf(withSegment(jpeg, 0xe1, exifApp1(hugeCount))), "bad_metadata");

  Bytes valuePastEnd = handMadeTiff();
  put32(valuePastEnd, 14, 0x7fffffff);
  EXPECT_EQ(codeOf(withSegment(jpeg, 0xe1, exifApp1(valuePastEnd))), "bad_metadata");

  Bytes nextIfdPastEnd = handMadeTiff();
  put32(nextIfdPastEnd, 22, 0xfffffff0);
  EXPECT_EQ(codeOf(withSegment(jpeg, 0xe1, exifApp1(nextIfdPastEnd))), "bad_metadata");
}

TEST(Metadata, SegmentLengthPastTheEndIsBadMetadata) {
  Bytes jpeg = plainJpeg();
  // A comment between the scan and EOI that claims 65,000 bytes.
  jpeg.insert(jpeg.end() - 2, {0xff, 0xfe, 0xfd, 0xe8, 'x', 'y'});
  EXPECT_EQ(codeOf(jpeg), "bad_metadata");
  // The same right after SOI: whichever reader notices first, it is an error, not a crash.
  Bytes early = plainJpeg();
  early.insert(early.begin() + 2, {0xff, 0xe1, 0xff, 0xff, 'E', 'x', 'i', 'f', 0, 0});
  EXPECT_NE(codeOf(early), "ok");
}

TEST(Metadata, TruncatedJpegIsTruncated) {
  Bytes jpeg = plainJpeg(256, 256);
  jpeg.resize(jpeg.size() * 2 / 3);
  EXPECT_EQ(codeOf(jpeg), "truncated");
}

TEST(Metadata, ExtendedXmpClaimingMoreThanTheFileIsBadMetadata) {
  std::string payload("http://ns.adobe.com/xmp/extension/\0", 35);
  payload += std::string(32, 'A');
  payload += std::string("\x7f\xff\xff\xff\0\0\0\0", 8);
  payload += "<x:xmpmeta/>";
  EXPECT_EQ(codeOf(withSegment(plainJpeg(), 0xe1, Bytes(payload.begin(), payload.end()))),
            "bad_metadata");
}

TEST(Metadata, BrokenIptcIsBadMetadata) {
  std::string payload(
      "Photoshop 3.0\0"
      "8BIM\x04\x04\0\0\0\0\0\x10",
      26);
  payload += std::string(
      "\x1c\x02\x78\x7f\xff"
      "caption",
      12);  // record longer than the rest
  payload += std::string(4, '\0');
  EXPECT_EQ(codeOf(withSegment(plainJpeg(), 0xed, Bytes(payload.begin(), payload.end()))),
            "bad_metadata");
}

TEST(Metadata, EmptyAndRandomBytesAreNamedErrors) {
  EXPECT_EQ(codeOf({}), "empty");
  std::mt19937 random(42);
  Bytes noise(4096);
  for (auto& b : noise) b = static_cast<std::uint8_t>(random());
  noise[0] = 'x';
  EXPECT_EQ(codeOf(noise), "not_an_image");
  noise[0] = 0xff, noise[1] = 0xd8, noise[2] = 0xff;
  EXPECT_NE(codeOf(noise), "ok");
}

// Every real test file, damaged at random places many times: errors or clean reads, no crash.
TEST(Metadata, RandomDamageNeverCrashes) {
  CG_REQUIRE_SHARED_TESTDATA();
  std::mt19937 random(7);
  for (const char* name : {"Apple.jpg", "Canon.jpg", "ExtendedXMP.jpg", "GPS.jpg", "IPTC.jpg",
                           "MWG.jpg", "PNG.png", "XMP.jpg"}) {
    const Bytes original = readTestFile(std::string("metadata/") + name);
    for (int round = 0; round < 300; ++round) {
      Bytes damaged = original;
      for (int hits = 0; hits < 1 + round % 4; ++hits) {
        damaged[3 + random() % (damaged.size() - 3)] = static_cast<std::uint8_t>(random());
      }
      if (round % 10 == 0) damaged.resize(3 + random() % (damaged.size() - 3));
      auto metadata = readMetadata(damaged);
      if (!metadata) {
        EXPECT_FALSE(metadata.error().code.empty()) << name;
        continue;
      }
      if (round % 5 != 0) continue;
      auto photo = image::sanitise(damaged);  // whatever it accepts, it must make clean
      if (photo) {
        EXPECT_TRUE(image::verifyClean(photo->bytes).ok()) << name;
      }
    }
  }
}

// --- PNG containers ---

// PNG.png (16x16 grey) with a chunk inserted before IEND.
Bytes testPngWith(const Bytes& chunk) {
  Bytes png = readTestFile("metadata/PNG.png");
  png.insert(png.end() - 12, chunk.begin(), chunk.end());
  return png;
}

// "keyword\0" + method + deflate(text): a zTXt body.
Bytes ztxt(const std::string& keyword, std::size_t zeros) {
  Bytes body(keyword.begin(), keyword.end());
  body.insert(body.end(), {0, 0});
  z_stream stream{};
  deflateInit(&stream, Z_BEST_COMPRESSION);
  const Bytes input(1 << 20, 0);
  Bytes buffer(1 << 16);
  for (std::size_t left = zeros; left > 0 || stream.avail_in > 0;) {
    if (stream.avail_in == 0) {
      const std::size_t n = std::min(left, input.size());
      stream.next_in = const_cast<Bytef*>(input.data());
      stream.avail_in = static_cast<uInt>(n);
      left -= n;
    }
    do {
      stream.next_out = buffer.data();
      stream.avail_out = static_cast<uInt>(buffer.size());
      deflate(&stream, left == 0 ? Z_FINISH : Z_NO_FLUSH);
      body.insert(body.end(), buffer.data(), buffer.data() + buffer.size() - stream.avail_out);
    } while (stream.avail_out == 0);
  }
  deflateEnd(&stream);
  return body;
}

TEST(Metadata, PngZtxtIsInflatedButABombIsBadMetadata) {
  CG_REQUIRE_SHARED_TESTDATA();
  const PhotoMetadata zeros = readOk(testPngWith(pngChunk("zTXt", ztxt("Title", 100))));
  EXPECT_TRUE(hasBlock(zeros, "PNG text"));  // 100 NULs: a text chunk, but no words in it

  const Bytes bomb = ztxt("Comment", 200u << 20);  // 200 MiB of zeros in ~200 KB
  EXPECT_LT(bomb.size(), 400'000u);
  EXPECT_EQ(codeOf(testPngWith(pngChunk("zTXt", bomb))), "bad_metadata");
  EXPECT_EQ(image::sanitise(testPngWith(pngChunk("zTXt", bomb))).error().code, "bad_metadata");
}

TEST(Metadata, PngChunkLengthPastTheEndIsRefused) {
  CG_REQUIRE_SHARED_TESTDATA();
  Bytes png = testPngWith({0x7f, 0xff, 0xff, 0xff, 't', 'E', 'X', 't', 'a', 0, 'b'});
  EXPECT_EQ(codeOf(png), "bad_metadata");
  Bytes critical = readTestFile("metadata/PNG.png");
  critical.resize(critical.size() - 12);  // no IEND, and an IDAT that claims 2 GB
  critical.insert(critical.end(), {0x7f, 0xff, 0xff, 0xff, 'I', 'D', 'A', 'T', 1, 2, 3});
  EXPECT_EQ(codeOf(critical), "truncated");
}

TEST(Metadata, PngWithoutIendOrWithTrailingBytes) {
  CG_REQUIRE_SHARED_TESTDATA();
  Bytes png = readTestFile("metadata/PNG.png");
  Bytes trailing = png;
  trailing.insert(trailing.end(), {'e', 'x', 't', 'r', 'a'});
  EXPECT_TRUE(hasBlock(readOk(trailing), "Trailing data"));
  png.resize(png.size() - 12);
  EXPECT_EQ(codeOf(png), "truncated");
}

}  // namespace
}  // namespace consentguard::testing
