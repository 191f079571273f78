#include "consentguard/video/video_file.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>

#include <opencv2/core.hpp>

namespace consentguard::video {
namespace {

namespace fs = std::filesystem;

struct InputCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
using Input = std::unique_ptr<AVFormatContext, InputCloser>;
struct CodecFree {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct ScaleFree {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};

std::string avText(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

Error damaged(const std::string& detail) {
  return makeError("corrupt",
                   "The video file is damaged or incomplete (it may not have finished copying). "
                   "Copy it again from the camera or the original folder.",
                   detail);
}

Error notAVideo(const std::string& detail) {
  return makeError("not_a_video",
                   "This file is not a video Consent Guard can read (MP4, MOV or M4V). Check that "
                   "the right file was chosen.",
                   detail);
}

Result<Input> openInput(const fs::path& file) {
  // FFmpeg's own complaints about a damaged file would go to the service's log as noise: what
  // matters reaches the caller as an Error.
  static std::once_flag quiet;
  std::call_once(quiet, [] { av_log_set_level(AV_LOG_FATAL); });
  AVFormatContext* raw = nullptr;
  if (int e = avformat_open_input(&raw, file.c_str(), nullptr, nullptr); e < 0) {
    return damaged("avformat_open_input: " + avText(e));
  }
  Input input(raw);
  const std::string name = input->iformat ? input->iformat->name : "";
  if (name.find("mp4") == std::string::npos && name.find("mov") == std::string::npos) {
    return notAVideo("container " + name);
  }
  if (int e = avformat_find_stream_info(input.get(), nullptr); e < 0) {
    return damaged("avformat_find_stream_info: " + avText(e));
  }
  return input;
}

// Degrees clockwise that turn the stored picture upright, from the display matrix.
int rotationOf(const AVStream* stream) {
  size_t size = 0;
  const std::uint8_t* matrix =
      av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (!matrix || size < 9 * sizeof(std::int32_t)) return 0;
  const double counterclockwise = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (std::isnan(counterclockwise)) return 0;
  int clockwise = static_cast<int>(std::lround(-counterclockwise / 90.0)) * 90 % 360;
  if (clockwise < 0) clockwise += 360;
  return clockwise;
}

// Tags that describe the coding, not the person, place or camera.
bool isCodingTag(const std::string& key, const std::string& value) {
  static const std::set<std::string> kContainer = {"major_brand", "minor_version",
                                                   "compatible_brands"};
  static const std::set<std::string> kHandlers = {"VideoHandler", "SoundHandler",
                                                  "Core Media Video", "Core Media Audio",
                                                  "Apple Video Media Handler",
                                                  "Apple Sound Media Handler"};
  if (kContainer.count(key)) return true;
  if (key == "language") return value == "und" || value.size() == 3;
  if (key == "vendor_id") return value == "[0][0][0][0]";
  if (key == "handler_name") return kHandlers.count(value) > 0;
  return false;
}

void listTags(const AVDictionary* tags, const std::string& where, VideoInfo& info) {
  const AVDictionaryEntry* e = nullptr;
  while ((e = av_dict_get(tags, "", e, AV_DICT_IGNORE_SUFFIX))) {
    const std::string key = e->key, value = e->value ? e->value : "";
    if (isCodingTag(key, value)) continue;
    info.metadata.push_back(where + key);
    if (!value.empty()) info.text.emplace_back(where + key, value);
    if (key == "make" || key == "com.apple.quicktime.make") info.camera_make = value;
    if (key == "model" || key == "com.apple.quicktime.model") info.camera_model = value;
  }
}

int bestStream(AVFormatContext* input, AVMediaType type) {
  return av_find_best_stream(input, type, -1, -1, nullptr, 0);
}

VideoInfo describe(AVFormatContext* input, int videoIndex) {
  VideoInfo info;
  const AVStream* video = input->streams[videoIndex];
  info.container = input->iformat->name;
  info.codec = avcodec_get_name(video->codecpar->codec_id);
  info.width = video->codecpar->width;
  info.height = video->codecpar->height;
  info.rotation = rotationOf(video);
  info.fps = av_q2d(video->avg_frame_rate);
  if (input->duration != AV_NOPTS_VALUE && input->duration > 0) {
    info.seconds = static_cast<double>(input->duration) / AV_TIME_BASE;
  } else if (video->duration != AV_NOPTS_VALUE) {
    info.seconds = static_cast<double>(video->duration) * av_q2d(video->time_base);
  }
  const int audioIndex = bestStream(input, AVMEDIA_TYPE_AUDIO);
  info.has_audio = audioIndex >= 0;
  listTags(input->metadata, "", info);
  if (input->nb_chapters > 0) info.metadata.push_back("chapters");
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    const AVStream* s = input->streams[i];
    const int index = static_cast<int>(i);
    listTags(s->metadata, "stream " + std::to_string(i) + " ", info);
    if (index == videoIndex || index == audioIndex) continue;
    switch (s->codecpar->codec_type) {
      case AVMEDIA_TYPE_SUBTITLE:
        info.metadata.push_back("subtitle stream");
        break;
      case AVMEDIA_TYPE_DATA:
        info.metadata.push_back("data stream");
        break;
      case AVMEDIA_TYPE_ATTACHMENT:
        info.metadata.push_back("attachment");
        break;
      default:
        info.metadata.push_back("another " +
                                std::string(av_get_media_type_string(s->codecpar->codec_type)) +
                                " stream");
    }
  }
  return info;
}

Status checkLimits(const VideoInfo& info, const VideoLimits& limits) {
  if (info.seconds > limits.max_seconds) {
    return makeError("too_long",
                     "The video is " + std::to_string(static_cast<int>(info.seconds)) +
                         " seconds long; videos up to " +
                         std::to_string(static_cast<int>(limits.max_seconds)) +
                         " seconds are checked. Trim it and submit it again.",
                     std::to_string(info.seconds) + " s declared");
  }
  if (info.width <= 0 || info.height <= 0) return damaged("a video stream without a size");
  if (info.width > limits.max_side || info.height > limits.max_side) {
    return makeError("too_large",
                     "The video's picture is too large (" + std::to_string(info.width) + " x " +
                         std::to_string(info.height) + "). Export it at 4K or smaller.",
                     "frame size");
  }
  return okStatus();
}

Result<std::pair<Input, VideoInfo>> openChecked(const fs::path& file, const VideoLimits& limits) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return makeError("not_found", "The video could not be read.", ec.message());
  if (size > limits.max_bytes) {
    return makeError("too_large",
                     "The video is too large (" + std::to_string(size >> 20) +
                         " MB). Trim it or export a smaller copy.",
                     std::to_string(size) + " bytes");
  }
  auto input = openInput(file);
  if (!input) return input.error();
  const int videoIndex = bestStream(input->get(), AVMEDIA_TYPE_VIDEO);
  if (videoIndex < 0) return notAVideo("no video stream");
  VideoInfo info = describe(input->get(), videoIndex);
  if (Status s = checkLimits(info, limits); !s) return s.error();
  return std::pair(std::move(input.value()), std::move(info));
}

cv::Mat turned(const cv::Mat& rgb, int rotation) {
  cv::Mat out;
  switch (rotation) {
    case 90:
      cv::rotate(rgb, out, cv::ROTATE_90_CLOCKWISE);
      return out;
    case 180:
      cv::rotate(rgb, out, cv::ROTATE_180);
      return out;
    case 270:
      cv::rotate(rgb, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      return out;
    default:
      return rgb;
  }
}

}  // namespace

bool looksLikeVideo(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 12) return false;
  const auto at = [&](size_t pos, const char* text) {
    return bytes.size() >= pos + 4 && std::memcmp(bytes.data() + pos, text, 4) == 0;
  };
  if (at(4, "moov") || at(4, "mdat") || at(4, "wide") || at(4, "free")) return true;  // QuickTime
  if (!at(4, "ftyp")) return false;
  static const std::set<std::string> kImage = {"heic", "heix", "heim", "heis", "hevc", "hevx",
                                               "mif1", "msf1", "avif", "avis"};
  return !kImage.count(std::string(reinterpret_cast<const char*>(bytes.data() + 8), 4));
}

Result<VideoInfo> probeVideo(const fs::path& file, const VideoLimits& limits) {
  auto opened = openChecked(file, limits);
  if (!opened) return opened.error();
  return std::move(opened->second);
}

Status sampleFrames(const fs::path& file, const SampleOptions& options, const VideoLimits& limits,
                    const std::function<Status(const SampledFrame&)>& visit) {
  auto opened = openChecked(file, limits);
  if (!opened) return opened.error();
  AVFormatContext* input = opened->first.get();
  const VideoInfo& info = opened->second;
  const int index = bestStream(input, AVMEDIA_TYPE_VIDEO);
  AVStream* stream = input->streams[index];
  const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!codec) {
    return makeError("unsupported_format",
                     "This video is coded as " + info.codec +
                         ", which Consent Guard cannot read. Export it as H.264 MP4.",
                     "no decoder");
  }
  std::unique_ptr<AVCodecContext, CodecFree> decoder(avcodec_alloc_context3(codec));
  if (!decoder || avcodec_parameters_to_context(decoder.get(), stream->codecpar) < 0) {
    return damaged("decoder parameters");
  }
  decoder->thread_count = 2;
  if (int e = avcodec_open2(decoder.get(), codec, nullptr); e < 0) {
    return damaged("avcodec_open2: " + avText(e));
  }
  std::unique_ptr<AVPacket, PacketFree> packet(av_packet_alloc());
  std::unique_ptr<AVFrame, FrameFree> frame(av_frame_alloc());
  std::unique_ptr<SwsContext, ScaleFree> toThumb, toRgb;
  constexpr int kThumbW = 32, kThumbH = 18;
  cv::Mat previous;
  std::int64_t next = 0, lastSeen = 0;
  bool first = true;
  const std::int64_t start = stream->start_time == AV_NOPTS_VALUE ? 0 : stream->start_time;
  const std::int64_t lastMs = static_cast<std::int64_t>(limits.max_seconds * 1000) + 1000;

  const auto onFrame = [&]() -> Status {
    const std::int64_t pts =
        frame->best_effort_timestamp == AV_NOPTS_VALUE ? 0 : frame->best_effort_timestamp;
    const auto ms = static_cast<std::int64_t>(
        std::llround(static_cast<double>(pts - start) * av_q2d(stream->time_base) * 1000));
    if (ms > lastMs) {
      return makeError("too_long",
                       "The video is longer than " +
                           std::to_string(static_cast<int>(limits.max_seconds)) +
                           " seconds. Trim it and submit it again.",
                       "frames past the limit at " + std::to_string(ms) + " ms");
    }
    const auto format = static_cast<AVPixelFormat>(frame->format);
    toThumb.reset(sws_getCachedContext(toThumb.release(), frame->width, frame->height, format,
                                       kThumbW, kThumbH, AV_PIX_FMT_GRAY8, SWS_AREA, nullptr,
                                       nullptr, nullptr));
    if (!toThumb) return damaged("no scaler for the frames");
    cv::Mat thumb(kThumbH, kThumbW, CV_8UC1);
    std::uint8_t* thumbData[1] = {thumb.data};
    int thumbStride[1] = {static_cast<int>(thumb.step)};
    sws_scale(toThumb.get(), frame->data, frame->linesize, 0, frame->height, thumbData,
              thumbStride);
    bool cut = false;
    if (!previous.empty()) {
      cv::Mat diff;
      cv::absdiff(thumb, previous, diff);
      cut = cv::mean(diff)[0] > options.cut_threshold;
    }
    previous = thumb;
    lastSeen = std::max(lastSeen, ms);
    if (!first && !cut && ms < next) return okStatus();
    if (first || ms >= next) {
      while (next <= ms) next += options.sample_ms;
    }
    first = false;
    toRgb.reset(sws_getCachedContext(toRgb.release(), frame->width, frame->height, format,
                                     frame->width, frame->height, AV_PIX_FMT_RGB24,
                                     SWS_BILINEAR, nullptr, nullptr, nullptr));
    if (!toRgb) return damaged("no scaler for the frames");
    cv::Mat rgb(frame->height, frame->width, CV_8UC3);
    std::uint8_t* rgbData[1] = {rgb.data};
    int rgbStride[1] = {static_cast<int>(rgb.step)};
    sws_scale(toRgb.get(), frame->data, frame->linesize, 0, frame->height, rgbData, rgbStride);
    return visit(SampledFrame{ms, turned(rgb, info.rotation), cut});
  };
  const auto drain = [&]() -> Status {
    for (;;) {
      const int e = avcodec_receive_frame(decoder.get(), frame.get());
      if (e == AVERROR(EAGAIN) || e == AVERROR_EOF) return okStatus();
      if (e < 0) return damaged("decoding: " + avText(e));
      Status s = onFrame();
      av_frame_unref(frame.get());
      if (!s) return s;
    }
  };
  int decoded = 0;
  for (;;) {
    const int e = av_read_frame(input, packet.get());
    if (e == AVERROR_EOF) break;
    if (e < 0) return damaged("reading: " + avText(e));
    if (packet->stream_index == index) {
      const int sent = avcodec_send_packet(decoder.get(), packet.get());
      av_packet_unref(packet.get());
      if (sent < 0 && sent != AVERROR(EAGAIN)) return damaged("decoding: " + avText(sent));
      if (Status s = drain(); !s) return s;
      ++decoded;
    } else {
      av_packet_unref(packet.get());
    }
  }
  avcodec_send_packet(decoder.get(), nullptr);
  if (Status s = drain(); !s) return s;
  if (first) return damaged("no frame could be decoded (" + std::to_string(decoded) + " packets)");
  // Frames that stop well before the length the file declares: it was cut short (a copy still
  // being made), and what is missing was never seen.
  const double declaredMs = info.seconds * 1000;
  if (declaredMs > 0 && static_cast<double>(lastSeen) < declaredMs - std::max(1000.0, declaredMs / 10)) {
    return makeError("truncated",
                     "The video file is incomplete: its pictures stop after " +
                         std::to_string(lastSeen / 1000) + " of its " +
                         std::to_string(static_cast<int>(info.seconds)) +
                         " seconds (it may not have finished copying). Copy it again.",
                     "last frame at " + std::to_string(lastSeen) + " ms");
  }
  return okStatus();
}

Status writeCleanCopy(const fs::path& in, const fs::path& out, const VideoLimits& limits) {
  auto opened = openChecked(in, limits);
  if (!opened) return opened.error();
  AVFormatContext* input = opened->first.get();
  const auto failed = [](const std::string& detail) {
    return makeError("remux_failed",
                     "A clean copy of the video could not be made, so it is not published.",
                     detail);
  };
  AVFormatContext* rawOutput = nullptr;
  if (avformat_alloc_output_context2(&rawOutput, nullptr, "mp4", out.c_str()) < 0 || !rawOutput) {
    return failed("avformat_alloc_output_context2");
  }
  std::unique_ptr<AVFormatContext, decltype(&avformat_free_context)> output(
      rawOutput, &avformat_free_context);
  output->flags |= AVFMT_FLAG_BITEXACT;  // no "encoder" tag naming the software
  std::vector<int> map(input->nb_streams, -1);
  for (const AVMediaType type : {AVMEDIA_TYPE_VIDEO, AVMEDIA_TYPE_AUDIO}) {
    const int index = bestStream(input, type);
    if (index < 0) continue;
    const AVStream* from = input->streams[index];
    AVStream* to = avformat_new_stream(output.get(), nullptr);
    if (!to || avcodec_parameters_copy(to->codecpar, from->codecpar) < 0) {
      return failed("stream copy");
    }
    to->codecpar->codec_tag = 0;
    to->time_base = from->time_base;
    // The rotation, and nothing else, goes with the picture.
    size_t size = 0;
    const std::uint8_t* matrix =
        av_stream_get_side_data(from, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (matrix && size >= 9 * sizeof(std::int32_t)) {
      std::uint8_t* copy = av_stream_new_side_data(to, AV_PKT_DATA_DISPLAYMATRIX, size);
      if (!copy) return failed("display matrix");
      std::memcpy(copy, matrix, size);
    }
    map[static_cast<size_t>(index)] = to->index;
  }
  if (int e = avio_open(&output->pb, out.c_str(), AVIO_FLAG_WRITE); e < 0) {
    return failed("avio_open: " + avText(e));
  }
  const auto closeOutput = [&] { avio_closep(&output->pb); };
  AVDictionary* muxing = nullptr;
  av_dict_set(&muxing, "movflags", "+faststart", 0);
  const int header = avformat_write_header(output.get(), &muxing);
  av_dict_free(&muxing);
  if (header < 0) {
    closeOutput();
    return failed("avformat_write_header: " + avText(header));
  }
  std::unique_ptr<AVPacket, PacketFree> packet(av_packet_alloc());
  for (;;) {
    const int e = av_read_frame(input, packet.get());
    if (e == AVERROR_EOF) break;
    if (e < 0) {
      closeOutput();
      return damaged("reading: " + avText(e));
    }
    const size_t from = static_cast<size_t>(packet->stream_index);
    if (from >= map.size() || map[from] < 0) {
      av_packet_unref(packet.get());
      continue;
    }
    av_packet_rescale_ts(packet.get(), input->streams[from]->time_base,
                         output->streams[map[from]]->time_base);
    packet->stream_index = map[from];
    packet->pos = -1;
    if (int w = av_interleaved_write_frame(output.get(), packet.get()); w < 0) {
      closeOutput();
      return failed("writing: " + avText(w));
    }
  }
  const int trailer = av_write_trailer(output.get());
  closeOutput();
  if (trailer < 0) return failed("av_write_trailer: " + avText(trailer));
  return verifyCleanVideo(out);
}

Status verifyCleanVideo(const fs::path& file) {
  const auto notClean = [](const std::string& detail) {
    return makeError("not_clean",
                     "The video's hidden details could not be removed safely, so it is not "
                     "published.",
                     detail);
  };
  VideoLimits unlimited;
  unlimited.max_seconds = 1e9;
  unlimited.max_bytes = ~0ull;
  unlimited.max_side = 1 << 20;
  auto info = probeVideo(file, unlimited);
  if (!info) return notClean("cannot be re-read: " + info.error().detail);
  if (!info->metadata.empty()) {
    std::string left;
    for (const auto& m : info->metadata) left += (left.empty() ? "" : "; ") + m;
    return notClean("still present: " + left);
  }
  bool decoded = false;
  Status s = sampleFrames(file, {}, unlimited, [&](const SampledFrame&) -> Status {
    decoded = true;
    return makeError("stop", "", "");
  });
  if (!decoded) return notClean("does not decode: " + (s ? std::string() : s.error().detail));
  return okStatus();
}

}  // namespace consentguard::video
