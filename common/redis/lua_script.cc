#include "common/redis/lua_script.h"

#include <openssl/evp.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace brobygger::redis {
namespace {

// Lower-case hex SHA1, the form EVALSHA and SCRIPT LOAD use.
std::string Sha1Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // EVP_Digest with SHA1 only fails on allocation failure; an empty digest
  // then makes every EVALSHA miss and fall back to EVAL, which still works.
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(),
                 nullptr) != 1) {
    return std::string();
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

Command ScriptCommand(absl::string_view verb, const std::string& script,
                      const std::vector<std::string>& keys,
                      const std::vector<std::string>& args) {
  Command command;
  command.reserve(3 + keys.size() + args.size());
  command.emplace_back(verb);
  command.push_back(script);
  command.push_back(absl::StrCat(keys.size()));
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

}  // namespace

LuaScript::LuaScript(std::string source)
    : source_(std::move(source)), sha1_(Sha1Hex(source_)) {}

absl::StatusOr<Reply> LuaScript::Run(
    RedisPool& pool, const std::vector<std::string>& keys,
    const std::vector<std::string>& args) const {
  absl::StatusOr<Reply> reply =
      pool.Run(ScriptCommand("EVALSHA", sha1_, keys, args));
  if (!reply.ok() || !reply->is_error() ||
      !absl::StartsWith(reply->str, "NOSCRIPT")) {
    return reply;
  }
  // EVAL also stores the script in the server's cache, so the next EVALSHA
  // hits again.
  return pool.Run(ScriptCommand("EVAL", source_, keys, args));
}

}  // namespace brobygger::redis
