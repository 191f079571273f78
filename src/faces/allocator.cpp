#include "consentguard/faces/allocator.h"

#include <malloc.h>

namespace consentguard::faces {

void tuneAllocatorForDlib() {
  constexpr int k512MiB = 512 << 20;
  mallopt(M_MMAP_THRESHOLD, k512MiB);
  mallopt(M_TRIM_THRESHOLD, k512MiB);
}

}  // namespace consentguard::faces
