#include "consentguard/image/decode_counts.h"

#include <atomic>

#include "read_parts.h"

namespace consentguard::image {
namespace {

// Relaxed: each counter is a tally, not a signal; nothing else is ordered by it.
std::atomic<std::uint64_t> headers{0}, pixels{0}, metadata{0}, heifOpens{0};

}  // namespace

DecodeCounts decodeCounts() {
  return {headers.load(std::memory_order_relaxed), pixels.load(std::memory_order_relaxed),
          metadata.load(std::memory_order_relaxed), heifOpens.load(std::memory_order_relaxed)};
}

void resetDecodeCounts() {
  for (auto* counter : {&headers, &pixels, &metadata, &heifOpens}) {
    counter->store(0, std::memory_order_relaxed);
  }
}

namespace detail {

void countHeader() { headers.fetch_add(1, std::memory_order_relaxed); }
void countPixels() { pixels.fetch_add(1, std::memory_order_relaxed); }
void countMetadata() { metadata.fetch_add(1, std::memory_order_relaxed); }
void countHeifOpen() { heifOpens.fetch_add(1, std::memory_order_relaxed); }

}  // namespace detail
}  // namespace consentguard::image
