#include "consentguard/faces/allocator.h"

#include <malloc.h>

#include <iostream>

namespace consentguard::faces {

void tuneAllocatorForDlib() {
  // glibc caps the mmap threshold at 32 MiB, and MMOD's tensors for a 1920 px photo are several
  // times larger, so raising the threshold is not enough: stop serving large blocks with mmap
  // at all and keep freed memory in the heap for the next photo. (Threads other than the main
  // one still fall back to mmap for blocks larger than their 64 MiB arena.)
  constexpr int kTrimThreshold = 1 << 30;
  if (mallopt(M_MMAP_MAX, 0) != 1 || mallopt(M_TRIM_THRESHOLD, kTrimThreshold) != 1) {
    std::cerr << "warning: could not tune the memory allocator; face detection will be slower\n";
  }
}

}  // namespace consentguard::faces
