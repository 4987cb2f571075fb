// Rotated siblings: which files in a directory are older generations of a log. Pure: works on
// names, the caller lists the directory.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace logtail {

struct Sibling {
  std::string name;         // file name within the directory
  bool compressed = false;  // ends in .gz; read through zlib
};

// The rotated siblings of `base` among `names`, oldest first. Recognised: NAME.N and
// NAME.N.gz (a larger N is older), NAME-YYYYMMDD, NAME-YYYYMMDDHH, NAME-YYYYMMDD-SSSSSSSSSS
// (logrotate's dateext formats) and the same with .gz (an earlier date is older). Dated
// siblings are ordered before numbered ones. Anything else (NAME itself, NAME.bak,
// NAME.1.tmp, other logs) is not a sibling.
std::vector<Sibling> rotated_siblings(std::string_view base, std::span<const std::string> names);

}  // namespace logtail
