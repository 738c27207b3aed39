// broctl webhook-receiver: runs the demo receiver (webhook_receiver.h)
// until Ctrl-C.
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/macros.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/file_io.h"
#include "tools/broctl/stop_signals.h"
#include "tools/broctl/webhook_receiver.h"

namespace brobygger::broctl {
namespace {

// A secret is 43 characters; a file much larger is not a secret file.
constexpr size_t kMaxSecretFileBytes = 4096;

// --secret-file F or --secret S: exactly one. The file is what
// `notifications webhooks create --secret-out` wrote (or the "secret"
// field copied by hand); surrounding whitespace is not part of it.
absl::StatusOr<std::string> SecretFrom(const Args& args) {
  const std::optional<std::string> file = args.Get("secret-file");
  const std::optional<std::string> inline_secret = args.Get("secret");
  if (file.has_value() == inline_secret.has_value()) {
    return absl::InvalidArgumentError(
        "give the endpoint's signing secret with exactly one of "
        "--secret-file FILE (better: it stays out of `ps` and shell history) "
        "and --secret S");
  }
  std::string secret;
  if (file.has_value()) {
    ASSIGN_OR_RETURN(
        const std::string text,
        ReadFileLimited(*file, kMaxSecretFileBytes, "secret file"));
    secret = std::string(absl::StripAsciiWhitespace(text));
  } else {
    secret = std::string(absl::StripAsciiWhitespace(*inline_secret));
  }
  if (secret.empty()) {
    return absl::InvalidArgumentError(
        file.has_value() ? absl::StrCat("the secret file ", *file, " is empty")
                         : std::string("--secret must not be empty"));
  }
  return secret;
}

absl::Status RunReceiver(const Invocation& inv) {
  WebhookReceiverOptions options;
  RETURN_IF_ERROR(inv.args.Require("port").status());
  ASSIGN_OR_RETURN(const std::optional<int64_t> port,
                   IntOption(inv.args, "port", 0, 65535));
  options.port = static_cast<int>(port.value_or(0));
  ASSIGN_OR_RETURN(options.secret, SecretFrom(inv.args));
  ASSIGN_OR_RETURN(const std::optional<int64_t> fail_first,
                   IntOption(inv.args, "fail-first", 0, 1000));
  options.fail_first = static_cast<int>(fail_first.value_or(0));

  std::unique_ptr<WebhookReceiver> receiver;  // outlives the signal waiter
  StopSignals signals;
  ASSIGN_OR_RETURN(receiver,
                   WebhookReceiver::Listen(options, std::cout, std::cerr));
  signals.Start([&receiver] { receiver->Stop(); });
  std::cerr << "broctl: receiving webhooks at http://127.0.0.1:"
            << receiver->port() << "/ (any path), one JSON line each"
            << (options.fail_first > 0
                    ? absl::StrCat("; the first ", options.fail_first,
                                   " well-signed deliveries are answered 503")
                    : std::string())
            << "; Ctrl-C stops" << std::endl;
  receiver->Serve();
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> WebhookReceiverCommands() {
  return {
      {.name = "webhook-receiver",
       .synopsis = "--port P (--secret-file FILE | --secret S) "
                   "[--fail-first N]",
       .summary = "A local webhook endpoint for demos, on 127.0.0.1:P (0: any "
                  "free port): checks each delivery's signature, prints one "
                  "JSON line per delivery, answers 204 (401 for a bad "
                  "signature; 503 for the first N with --fail-first, to show "
                  "retries) until Ctrl-C. Register it with `notifications "
                  "webhooks create --url http://127.0.0.1:P/hook`.",
       .options = {"port", "secret-file", "secret", "fail-first"},
       .run = RunReceiver},
  };
}

}  // namespace brobygger::broctl
