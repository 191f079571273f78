// Timing helpers shared by the benchmark's sections: the median and best of N runs of a piece
// of work after one warm-up run, printed as aligned figures.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

namespace consentguard::bench {

struct Timing {
  double median_ms, best_ms;
};

inline Timing measure(int runs, const std::function<void()>& work, bool warmUp = true) {
  if (warmUp) work();  // first-call allocations
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    work();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.front()};
}

inline void print(const std::string& stage, const Timing& t, const std::string& note = "") {
  std::cout << "  " << std::left << std::setw(34) << stage << std::right << std::fixed
            << std::setprecision(1) << std::setw(9) << t.median_ms << " ms" << std::setw(9)
            << t.best_ms << " ms  " << note << "\n";
}

}  // namespace consentguard::bench
