#include "services/notifications/webhook_delivery.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/notifications/webhook_signature.h"

namespace brobygger::notifications {
namespace {

std::string Reason(absl::string_view text) {
  std::string out(text.substr(0, kMaxReasonLength));
  for (char& c : out) {
    if (c < 0x20 || c > 0x7e) c = ' ';
  }
  return out;
}

}  // namespace

HttpPostRequest BuildWebhookRequest(absl::string_view url,
                                    absl::string_view secret,
                                    absl::string_view delivery_id,
                                    absl::string_view event_type,
                                    absl::string_view json_body,
                                    absl::Time now) {
  HttpPostRequest request;
  request.url = std::string(url);
  request.body = std::string(json_body);
  request.timeout = kWebhookTimeout;
  request.headers = {
      {"Content-Type", "application/json"},
      {std::string(kDeliveryHeader), std::string(delivery_id)},
      {std::string(kEventTypeHeader), std::string(event_type)},
      {std::string(kSignatureHeader), SignWebhook(secret, now, json_body)},
  };
  return request;
}

WebhookAttempt ClassifyWebhookAttempt(
    const absl::StatusOr<HttpPostResult>& result) {
  WebhookAttempt attempt;
  if (!result.ok()) {
    const bool unusable =
        result.status().code() == absl::StatusCode::kInvalidArgument;
    attempt.outcome =
        unusable ? WebhookOutcome::kGiveUp : WebhookOutcome::kRetry;
    attempt.circuit = unusable ? CircuitEffect::kNone : CircuitEffect::kFailure;
    attempt.reason = Reason(
        absl::StrCat(unusable ? "request cannot be sent: " : "no answer: ",
                     result.status().message()));
    return attempt;
  }
  attempt.status_code = result->status_code;
  if (result->ok()) {
    attempt.outcome = WebhookOutcome::kDelivered;
    attempt.circuit = CircuitEffect::kSuccess;
    return attempt;
  }
  if (result->status_code == 410) {
    attempt.outcome = WebhookOutcome::kGiveUp;
    attempt.circuit = CircuitEffect::kSuccess;
    attempt.reason = Reason(absl::StrCat(
        "the receiver no longer takes deliveries: ", result->error));
    return attempt;
  }
  attempt.outcome = WebhookOutcome::kRetry;
  attempt.circuit = CircuitEffect::kFailure;
  attempt.reason =
      Reason(result->error.empty() ? absl::StrCat("HTTP ", result->status_code)
                                   : result->error);
  return attempt;
}

WebhookAttempt AttemptWebhookDelivery(absl::string_view url,
                                      absl::string_view secret,
                                      absl::string_view delivery_id,
                                      absl::string_view event_type,
                                      absl::string_view json_body,
                                      absl::Time now) {
  return ClassifyWebhookAttempt(HttpPost(BuildWebhookRequest(
      url, secret, delivery_id, event_type, json_body, now)));
}

}  // namespace brobygger::notifications
