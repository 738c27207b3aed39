#include "bench/notifications_bench/population.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "bench/harness/actor_mix.h"
#include "brobygger/catalogue/v1/events.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/events/event_bus.h"
#include "common/store/resource_io.h"

namespace brobygger::bench {

namespace cv1 = ::brobygger::catalogue::v1;
namespace rv1 = ::brobygger::registry::v1;

std::vector<std::string> Towns(int count) {
  const std::vector<std::string>& areas = MunicipalityAreas();
  const size_t n = std::clamp<size_t>(count, 1, areas.size());
  return std::vector<std::string>(areas.begin(), areas.begin() + n);
}

std::string ActorName(const std::string& municipality, int64_t id) {
  return absl::StrCat("municipalities/", municipality, "/actors/", id);
}

rv1::Actor Volunteer(const std::string& municipality, int64_t id,
                     const std::string& town) {
  rv1::Actor actor;
  actor.set_name(ActorName(municipality, id));
  actor.set_kind(rv1::ACTOR_KIND_VOLUNTEER);
  actor.set_display_name(absl::StrCat("Volunteer ", id));
  actor.add_areas(town);
  actor.set_description("Helps with homework and the first visits in town");
  actor.mutable_volunteer()->set_capacity(2);
  *actor.mutable_update_time() = store::ToTimestamp(absl::Now());
  return actor;
}

rv1::Actor PlacedNewcomer(const std::string& name, const std::string& town,
                          int sequence) {
  rv1::Actor actor;
  if (!name.empty()) actor.set_name(name);
  actor.set_kind(rv1::ACTOR_KIND_NEWCOMER);
  actor.set_display_name(absl::StrCat("Amina Haddad ", sequence));
  actor.add_areas(town);
  rv1::LanguageSkill* arabic = actor.add_languages();
  arabic->set_code("ar");
  arabic->set_proficiency(rv1::PROFICIENCY_NATIVE);
  arabic->set_mother_tongue(true);
  rv1::NewcomerProfile* newcomer = actor.mutable_newcomer();
  newcomer->set_first_name("Amina");
  newcomer->set_family_name(absl::StrCat("Haddad ", sequence));
  newcomer->add_needs("bank");
  newcomer->add_needs("school");
  newcomer->mutable_household()->set_adults(1);
  newcomer->mutable_household()->add_children_ages(7);
  newcomer->mutable_consent()->set_volunteer_contact(true);
  newcomer->mutable_consent()->set_data_sharing(true);
  *actor.mutable_update_time() = store::ToTimestamp(absl::Now());
  return actor;
}

events::v1::Event ActorCreatedEvent(const std::string& municipality,
                                    const rv1::Actor& actor,
                                    const std::string& request_id,
                                    absl::Time now) {
  rv1::ActorCreated created;
  *created.mutable_actor() = actor;
  return events::MakeEvent({"registry", "bench-coordinator", request_id},
                           municipality, actor.name(), created, now);
}

events::v1::Event ActivityPublishedEvent(const std::string& municipality,
                                         int64_t id, const std::string& town) {
  cv1::ActivityPublished published;
  cv1::Activity* activity = published.mutable_activity();
  activity->set_name(
      absl::StrCat("municipalities/", municipality, "/activities/", id));
  activity->set_kind(cv1::ACTIVITY_KIND_CIVIL_OFFER);
  activity->set_display_name(absl::StrCat("Sprogcafé ", id));
  activity->set_category(cv1::CATEGORY_LANGUAGE_CAFE);
  activity->mutable_place()->set_area(town);
  activity->set_state(cv1::ACTIVITY_STATE_PUBLISHED);
  return events::MakeEvent({"catalogue", "bench-organiser", ""}, municipality,
                           activity->name(), published);
}

std::vector<int> SpreadOverTowns(int count, int towns, uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> pick(0, std::max(1, towns) - 1);
  std::vector<int> out(std::max(0, count));
  for (int& town : out) town = pick(random);
  return out;
}

}  // namespace brobygger::bench
