// Process-wide memory-allocator settings for dlib, made once at start-up by main() (and by the
// test and benchmark programs). dlib allocates large temporary tensors on every call; with
// glibc's default mmap threshold each one is an mmap/munmap pair and page faults, which made
// the MMOD detector about 8x slower on these machines.
#pragma once

namespace consentguard::faces {

void tuneAllocatorForDlib();

}  // namespace consentguard::faces
