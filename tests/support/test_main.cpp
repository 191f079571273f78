#include <gtest/gtest.h>

#include "consentguard/faces/allocator.h"

int main(int argc, char** argv) {
  consentguard::faces::tuneAllocatorForDlib();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
