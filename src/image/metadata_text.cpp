// Free text in metadata: the XMP packet (read as text, not as RDF: the properties that carry
// captions, keywords and people's names are pulled out by name, in element and attribute form)
// and IPTC records inside Photoshop's image resources. Both are untrusted; every length is checked.
#include <algorithm>
#include <array>
#include <cstdlib>

#include "metadata_parts.h"

namespace consentguard::image::detail {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool validUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

void appendUtf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

std::string decodeEntities(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t semi = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (semi == std::string_view::npos || semi - i > 10) {
      out += text[i];
      continue;
    }
    const std::string_view name = text.substr(i + 1, semi - i - 1);
    if (name == "amp")
      out += '&';
    else if (name == "lt")
      out += '<';
    else if (name == "gt")
      out += '>';
    else if (name == "quot")
      out += '"';
    else if (name == "apos")
      out += '\'';
    else if (name.size() > 1 && name[0] == '#') {
      const bool hexForm = name[1] == 'x' || name[1] == 'X';
      const std::uint32_t c = static_cast<std::uint32_t>(std::strtoul(
          std::string(name.substr(hexForm ? 2 : 1)).c_str(), nullptr, hexForm ? 16 : 10));
      appendUtf8(out, c > 0 && c < 0x110000 ? c : 0xfffd);
    } else {
      out.append(text.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

std::string stripTags(std::string_view xml) {
  std::string out;
  bool inTag = false;
  for (char c : xml) {
    if (c == '<')
      inTag = true;
    else if (c == '>') {
      inTag = false;
      out += ' ';
    } else if (!inTag)
      out += c;
  }
  return out;
}

// The values of one XMP property: <p>text</p>, <p><rdf:Bag><rdf:li>a</rdf:li>...</p>, p="text".
std::vector<std::string> xmpValues(std::string_view xml, std::string_view property) {
  std::vector<std::string> values;
  const std::string open = "<" + std::string(property);
  const std::string close = "</" + std::string(property) + ">";
  for (std::size_t pos = xml.find(open); pos != std::string_view::npos; pos = xml.find(open, pos)) {
    pos += open.size();
    if (pos >= xml.size() || !(isSpace(xml[pos]) || xml[pos] == '>')) continue;
    const std::size_t gt = xml.find('>', pos);
    if (gt == std::string_view::npos) break;
    if (xml[gt - 1] == '/') continue;
    const std::size_t end = xml.find(close, gt);
    if (end == std::string_view::npos) break;
    const std::string_view inner = xml.substr(gt + 1, end - gt - 1);
    if (inner.find("<rdf:li") == std::string_view::npos) {
      values.push_back(decodeEntities(stripTags(inner)));
    }
    for (std::size_t li = inner.find("<rdf:li"); li != std::string_view::npos;
         li = inner.find("<rdf:li", li + 1)) {
      const std::size_t liGt = inner.find('>', li);
      const std::size_t liEnd = inner.find("</rdf:li>", li);
      if (liGt == std::string_view::npos || liEnd == std::string_view::npos || liEnd < liGt) break;
      values.push_back(decodeEntities(stripTags(inner.substr(liGt + 1, liEnd - liGt - 1))));
    }
    pos = end;
  }
  const std::string attribute = std::string(property) + "=";
  for (std::size_t pos = xml.find(attribute); pos != std::string_view::npos;
       pos = xml.find(attribute, pos + 1)) {
    if (pos == 0 || !isSpace(xml[pos - 1])) continue;
    const std::size_t quoteAt = pos + attribute.size();
    if (quoteAt >= xml.size() || (xml[quoteAt] != '"' && xml[quoteAt] != '\'')) continue;
    const std::size_t end = xml.find(xml[quoteAt], quoteAt + 1);
    if (end == std::string_view::npos) break;
    values.push_back(decodeEntities(xml.substr(quoteAt + 1, end - quoteAt - 1)));
  }
  return values;
}

// XMP may be stored as UTF-16 (the xpacket begin mark is then a 2-byte BOM).
std::string xmpAsUtf8(ByteSpan packet) {
  if (packet.size() >= 2 && packet[0] == 0 && packet[1] != 0) return utf16ToUtf8(packet, false);
  if (packet.size() >= 2 && packet[0] != 0 && packet[1] == 0) return utf16ToUtf8(packet, true);
  if (packet.size() >= 2 && packet[0] == 0xfe && packet[1] == 0xff) {
    return utf16ToUtf8(packet.subspan(2), false);
  }
  if (packet.size() >= 2 && packet[0] == 0xff && packet[1] == 0xfe) {
    return utf16ToUtf8(packet.subspan(2), true);
  }
  return std::string(packet.begin(), packet.end());
}

// Properties that hold words a person typed: captions, titles, keywords, names, credits.
constexpr std::array<std::string_view, 27> kXmpTextProperties = {"dc:title",
                                                                 "dc:description",
                                                                 "dc:subject",
                                                                 "dc:creator",
                                                                 "dc:rights",
                                                                 "dc:contributor",
                                                                 "photoshop:Headline",
                                                                 "photoshop:CaptionWriter",
                                                                 "photoshop:Credit",
                                                                 "photoshop:Instructions",
                                                                 "photoshop:Source",
                                                                 "photoshop:AuthorsPosition",
                                                                 "Iptc4xmpCore:Location",
                                                                 "Iptc4xmpExt:PersonInImage",
                                                                 "mwg-rs:Name",
                                                                 "MP:PersonDisplayName",
                                                                 "MicrosoftPhoto:LastKeywordXMP",
                                                                 "lr:hierarchicalSubject",
                                                                 "xmp:Label",
                                                                 "xmp:Nickname",
                                                                 "pdf:Title",
                                                                 "pdf:Author",
                                                                 "pdf:Subject",
                                                                 "pdf:Keywords",
                                                                 "tiff:ImageDescription",
                                                                 "tiff:Artist",
                                                                 "exif:UserComment"};

constexpr std::array<std::pair<int, std::string_view>, 12> kIptcText = {{
    {5, "Object name"},
    {25, "Keywords"},
    {40, "Special instructions"},
    {80, "By-line"},
    {85, "By-line title"},
    {105, "Headline"},
    {110, "Credit"},
    {115, "Source"},
    {116, "Copyright notice"},
    {118, "Contact"},
    {120, "Caption"},
    {122, "Writer-Editor"},
}};

bool allZero(ByteSpan bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

// IPTC-IIM: records of 0x1C, record number, dataset number, 2-byte length (or an extended length).
Status readIim(ByteSpan iim, PhotoMetadata& out) {
  std::size_t pos = 0;
  while (pos < iim.size()) {
    if (iim[pos] != 0x1c) {
      if (allZero(iim.subspan(pos))) break;  // padding
      return badMetadata("IPTC record does not start with 0x1C at " + std::to_string(pos));
    }
    if (iim.size() - pos < 5) return badMetadata("IPTC record header cut short");
    const int record = iim[pos + 1];
    const int dataset = iim[pos + 2];
    std::uint64_t length = readBe16(iim.data() + pos + 3);
    pos += 5;
    if (length & 0x8000) {
      const std::size_t digits = length & 0x7fff;
      if (digits == 0 || digits > 4 || digits > iim.size() - pos) {
        return badMetadata("IPTC extended length is invalid");
      }
      length = 0;
      for (std::size_t i = 0; i < digits; ++i) length = (length << 8) | iim[pos + i];
      pos += digits;
    }
    if (length > iim.size() - pos) return badMetadata("IPTC record runs past the end");
    const std::string_view value(reinterpret_cast<const char*>(iim.data() + pos), length);
    pos += length;
    if (record != 2) continue;
    for (const auto& [number, name] : kIptcText) {
      if (number == dataset) addText(out, "IPTC " + std::string(name), value);
    }
  }
  return okStatus();
}

}  // namespace

std::string trim(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  auto blank = [](char c) { return isSpace(c) || c == '\0'; };
  while (begin < end && blank(text[begin])) ++begin;
  while (end > begin && blank(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string toUtf8(std::string_view text) {
  if (validUtf8(text)) return std::string(text);
  std::string out;
  for (char c : text) appendUtf8(out, static_cast<unsigned char>(c));
  return out;
}

std::string utf16ToUtf8(ByteSpan bytes, bool little) {
  std::string out;
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    std::uint32_t c = little ? (bytes[i] | (bytes[i + 1] << 8)) : ((bytes[i] << 8) | bytes[i + 1]);
    if (c == 0) break;
    if (c >= 0xd800 && c <= 0xdbff && i + 3 < bytes.size()) {
      const std::uint32_t low =
          little ? (bytes[i + 2] | (bytes[i + 3] << 8)) : ((bytes[i + 2] << 8) | bytes[i + 3]);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i += 2;
      }
    }
    appendUtf8(out, c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
  }
  return out;
}

void addText(PhotoMetadata& out, std::string name, std::string_view value) {
  std::string text = trim(toUtf8(value));
  if (text.empty()) return;
  for (const TextField& field : out.text_fields) {
    if (field.name == name && field.value == text) return;
  }
  out.text_fields.push_back({std::move(name), std::move(text)});
}

void readXmp(ByteSpan packet, PhotoMetadata& out) {
  const std::string xml = xmpAsUtf8(packet);
  for (std::string_view property : kXmpTextProperties) {
    for (const std::string& value : xmpValues(xml, property)) {
      addText(out, "XMP " + std::string(property), value);
    }
  }
  auto first = [&](std::string_view property) {
    auto values = xmpValues(xml, property);
    return values.empty() ? std::string() : trim(values.front());
  };
  if (!first("exif:GPSLatitude").empty() || !first("exif:GPSLongitude").empty()) {
    out.has_gps = true;
  }
  if (out.camera_make.empty()) out.camera_make = first("tiff:Make");
  if (out.camera_model.empty()) out.camera_model = first("tiff:Model");
  if (out.camera_serial.empty()) out.camera_serial = first("exifEX:BodySerialNumber");
  if (out.camera_serial.empty()) out.camera_serial = first("aux:SerialNumber");
}

// Photoshop image resources: "8BIM", 2-byte id, padded Pascal name, 4-byte size, padded data.
Status readPhotoshopResources(ByteSpan resources, PhotoMetadata& out) {
  std::size_t pos = 0;
  while (pos < resources.size()) {
    const ByteSpan rest = resources.subspan(pos);
    if (allZero(rest)) break;
    if (rest.size() < 8 || !hasPrefix(rest, "8BIM")) {
      return badMetadata("Photoshop resource without its 8BIM signature at " + std::to_string(pos));
    }
    const std::uint16_t id = readBe16(rest.data() + 4);
    std::size_t at = 6 + ((1 + std::size_t{rest[6]} + 1) & ~std::size_t{1});
    if (at + 4 > rest.size()) return badMetadata("Photoshop resource header cut short");
    const std::uint32_t size = readBe32(rest.data() + at);
    at += 4;
    if (size > rest.size() - at) return badMetadata("Photoshop resource runs past the end");
    if (id == 0x0404) {
      addBlock(out, "IPTC");
      Status status = readIim(rest.subspan(at, size), out);
      if (!status) return status;
    }
    pos += std::min<std::size_t>(at + size + (size & 1), rest.size());
  }
  return okStatus();
}

}  // namespace consentguard::image::detail
