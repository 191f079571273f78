// How safe a school's own register is: leave-one-out over its enrolled templates (one per
// reference photo). Each template is held against the same person's other templates (as if it
// were a new photo of them) and against everyone else's (as if it were a stranger), and the
// distances are counted against the thresholds: how many photos of a pupil would not be
// recognised, how many would be too near someone else to name (the margin), and how many
// strangers would be taken as possibly someone (the protect threshold). `consentguard
// calibrate` prints it, and warns (tooCloseWarning) about different people who sit closer
// together than the thresholds allow; the register page says the same.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "consentguard/faces/matcher.h"

namespace consentguard::faces {

struct CalibrationOptions {
  double match_threshold = 0.53;
  double match_margin = 0.08;
  double protect_threshold = 0.57;
};

// One template held out.
struct HeldOut {
  std::string person;
  double same = 0.0;     // to the person's nearest other template (infinite with only one)
  double other = 0.0;    // to the nearest template of anyone else
  std::string other_person;
};

// Two different people whose templates lie close together (lookalikes, siblings).
struct ClosePair {
  std::string a, b;
  double distance = 0.0;
};

struct Calibration {
  int templates = 0, people = 0, single_template_people = 0;
  std::vector<HeldOut> held_out;
  std::vector<double> same, other;  // sorted: every finite same, every other
  // Of the held-out photos of a person with another template:
  int not_recognised = 0;  // same > match threshold
  int ambiguous = 0;       // within the threshold, but another person within the margin
  int named_wrongly = 0;   // someone else nearer than the person and within the threshold
  // Of every held-out photo taken as a stranger (its own person left out):
  int strangers_named = 0;     // other <= match threshold
  int strangers_flagged = 0;   // other <= protect threshold
  std::vector<ClosePair> closest_pairs;  // up to five, nearest first
  // Every pair of different people closer than the thresholds allow (tooClose), nearest first.
  std::vector<ClosePair> too_close;

  // How many same (or other) distances are at most `t`.
  int sameWithin(double t) const;
  int otherWithin(double t) const;
};

Calibration calibrate(const std::vector<EnrolledTemplate>& templates,
                      const CalibrationOptions& options);

// Whether two different people whose nearest templates are `distance` apart sit closer than
// the thresholds allow: within the match threshold plus the margin (a photo of either is often
// too near the other to name), or within the protect threshold (a photo of one may be taken as
// possibly the other, and blocked when the other must not appear).
bool tooClose(double distance, const CalibrationOptions& options);

// For school staff, in plain English and without numbers: what it means that these two (named
// as given, for example "Amy Fowler (P001)") are this close.
std::string tooCloseWarning(const ClosePair& pair, const std::string& a, const std::string& b,
                            const CalibrationOptions& options);
// What to do about such pairs.
std::string tooCloseAdvice();

}  // namespace consentguard::faces
