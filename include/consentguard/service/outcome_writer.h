// Puts a decided job's outcome where staff will find it: the cleaned photo (or the video
// copied clean, as an MP4) in outbox/<channel>/, or the original in held/ or rejected/ with a .txt
// beside it that says in plain English why and what to do next. The name is chosen (never an
// existing file's) before anything is written and recorded with the decision, so that completing a
// job again after a crash writes the same files at the same place, once. Free functions;
// thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/service/data_folders.h"

namespace consentguard::service {

// A free path for the job's outcome: outbox/<channel>/<name>.<ext of the cleaned format> for
// publish, held/<name> or rejected/<name> otherwise; "-<id prefix>" is added to the name when it
// is taken.
std::filesystem::path chooseOutputPath(const DataFolders& folders, const queue::Job& job,
                                       const std::string& verdict, const std::string& extension);

// Writes the outcome of a job in state finishing (verdict, result_json and output recorded).
// Files already written by an earlier, interrupted attempt are left as they are.
// A HEIC or AVIF original is published as JPEG of `heif_jpeg_quality` (policy.heic_jpeg_quality).
Status writeOutcome(const queue::Job& job, int heif_jpeg_quality = image::kDefaultHeifJpegQuality);

// writeOutcome, then removes the outcome the job had before (a held copy SLT decided, or one
// being checked again) and marks the job done. Safe to repeat after a crash at any point.
Status completeOutcome(queue::JobQueue& queue, const queue::Job& job,
                       int heif_jpeg_quality = image::kDefaultHeifJpegQuality);

// Writes the note of each drop that repeated this done job's bytes under a name of its own
// (JobQueue::recordRepeat): NAME.txt beside the job's outcome, saying which submission it
// repeats and where that one's outcome is. A note left where the outcome was before (a held
// photo since decided) is moved. Safe to repeat; called by completeOutcome and the inbox.
Status writeRepeatNotes(queue::JobQueue& queue, const queue::Job& job);

// The .txt that goes beside a held or rejected photo or video.
std::string explanationText(const queue::Job& job);

// What the checks recorded in a job's result: the reasons' messages (one line saying they could
// not be read if the record is damaged), and whether the photo was blocked only for faces, so
// that a covered copy could save it (policy::Decision::coverable).
std::vector<std::string> recordedReasons(const queue::Job& job);
bool blockedOnlyForFaces(const queue::Job& job);

// Whether a job's stored original is a video (sniffed from its first bytes).
bool isVideoJob(const queue::Job& job);

// A video's files kept beside its original in store/: the contact sheet of its sampled frames
// for the review page, and the clean copy, written there before it is moved to the outbox.
// Both are deleted with the original.
std::filesystem::path contactSheetPath(const queue::Job& job);
std::filesystem::path stagedVideoPath(const queue::Job& job);

}  // namespace consentguard::service
