// broctl keygen / broctl token: development keys and tokens. The services
// verify tokens with the public keys in their --jwt_public_keys_dir; these
// commands make such a key pair and sign tokens with its private half.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "common/status/macros.h"
#include "tools/broctl/cli.h"

namespace brobygger::broctl {
namespace {

namespace fs = std::filesystem;

// A private key is read by nobody but its owner.
constexpr mode_t kPrivateKeyMode = 0600;
constexpr mode_t kPublicKeyMode = 0644;
// Key files are small; anything bigger is not a PEM key.
constexpr std::streamsize kMaxKeyFileBytes = 64 * 1024;

absl::Status WriteFile(const fs::path& path, const std::string& contents,
                       mode_t mode, bool overwrite) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::AlreadyExistsError(
          absl::StrCat(path.string(),
                       " exists: keep it, or pass --force to replace it "
                       "(tokens signed with the old key stop working)"));
    }
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", path.string(), ": ", strerror(errno)));
  }
  // O_CREAT's mode is filtered by the umask and ignored for an existing
  // file: set it explicitly.
  ::fchmod(fd, mode);
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n =
        ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string error = strerror(errno);
      ::close(fd);
      return absl::InternalError(
          absl::StrCat("cannot write ", path.string(), ": ", error));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot write ", path.string(), ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status MakeDirectory(const fs::path& dir, fs::perms perms) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create ", dir.string(), ": ", error.message()));
  }
  fs::permissions(dir, perms, error);
  return absl::OkStatus();
}

absl::Status Keygen(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string out, inv.args.Require("out"));
  const std::string kid = inv.args.GetOr("kid", "dev");
  const bool force = inv.args.Has("force");
  const fs::path private_dir = fs::path(out) / "private";
  const fs::path public_dir = fs::path(out) / "public";
  const fs::path private_path = private_dir / absl::StrCat(kid, ".pem");
  const fs::path public_path = public_dir / absl::StrCat(kid, ".pem");
  if (kid.empty() || kid.find('/') != std::string::npos || kid[0] == '.') {
    return absl::InvalidArgumentError(
        "--kid must be a plain name such as \"dev\" (it names the key files "
        "and goes into every token's header)");
  }

  ASSIGN_OR_RETURN(auto pair, auth::GenerateKeyPair());
  RETURN_IF_ERROR(MakeDirectory(private_dir, fs::perms::owner_all));
  RETURN_IF_ERROR(MakeDirectory(
      public_dir, fs::perms::owner_all | fs::perms::group_read |
                      fs::perms::group_exec | fs::perms::others_read |
                      fs::perms::others_exec));
  // The public key is written last: a verifier never sees a public key
  // whose private half was not saved.
  RETURN_IF_ERROR(WriteFile(private_path, pair.first, kPrivateKeyMode, force));
  RETURN_IF_ERROR(WriteFile(public_path, pair.second, kPublicKeyMode, force));
  std::cout << "{\n  \"kid\": \"" << kid << "\",\n  \"privateKey\": \""
            << private_path.string() << "\",\n  \"publicKey\": \""
            << public_path.string() << "\"\n}\n";
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the key file ", path,
                     ": create a key pair with `broctl keygen --out DIR`"));
  }
  std::string contents(kMaxKeyFileBytes + 1, '\0');
  in.read(contents.data(), kMaxKeyFileBytes + 1);
  contents.resize(static_cast<size_t>(in.gcount()));
  if (contents.size() > static_cast<size_t>(kMaxKeyFileBytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is too large to be a PEM private key"));
  }
  return contents;
}

absl::Status Token(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string key_path, inv.args.Require("key"));
  ASSIGN_OR_RETURN(const std::string role_name, inv.args.Require("role"));
  const std::optional<auth::Role> role = auth::ParseRole(role_name);
  if (!role.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown --role \"", role_name,
        "\": use operator, caseworker, coordinator, ngo_app or volunteer"));
  }

  auth::Principal principal;
  principal.role = *role;
  principal.subject =
      inv.args.GetOr("subject", absl::StrCat("dev-", role_name));
  principal.organisation = inv.args.GetOr("org", "");
  const std::string municipalities =
      inv.args.GetOr("municipality", *role == auth::Role::kOperator ? "*" : "");
  if (municipalities.empty()) {
    return absl::InvalidArgumentError(
        "missing --municipality: the municipality id(s) the token may act "
        "in, comma-separated (operators: \"*\" for all)");
  }
  principal.municipalities =
      absl::StrSplit(municipalities, ',', absl::SkipWhitespace());

  auth::MintOptions options;
  ASSIGN_OR_RETURN(options.private_key_pem, ReadKeyFile(key_path));
  options.kid = inv.args.GetOr("kid", "dev");
  options.issuer = inv.args.GetOr("issuer", std::string(auth::kDefaultIssuer));
  if (auto ttl = inv.args.Get("ttl"); ttl.has_value()) {
    if (!absl::ParseDuration(*ttl, &options.lifetime) ||
        options.lifetime <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--ttl must be a positive duration such as 12h or 30m, not \"", *ttl,
          "\""));
    }
  }
  ASSIGN_OR_RETURN(const std::string token,
                   auth::MintToken(principal, options));
  std::cout << token << "\n";
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> KeyCommands() {
  return {
      {.name = "keygen",
       .synopsis = "--out DIR [--kid dev] [--force]",
       .summary = "Creates an ES256 key pair: DIR/private/KID.pem (mode "
                  "0600, signs tokens) and DIR/public/KID.pem (for the "
                  "services' --jwt_public_keys_dir).",
       .options = {"out", "kid", "force"},
       .run = Keygen},
      {.name = "token",
       .synopsis = "--key FILE [--kid dev] --role ROLE --municipality "
                   "ID[,ID] [--subject S] [--org ACTOR] [--ttl 12h] "
                   "[--issuer brobygger-dev]",
       .summary = "Prints a signed JWT for development and tests. Roles: "
                  "operator (--municipality defaults to \"*\"), caseworker, "
                  "coordinator, ngo_app (needs --org) and volunteer (--subject "
                  "is its actor name).",
       .options = {"key", "kid", "role", "municipality", "subject", "org",
                   "ttl", "issuer"},
       .run = Token},
  };
}

}  // namespace brobygger::broctl
