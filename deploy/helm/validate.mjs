// Validates every object of a rendered Helm chart (multi-document YAML on
// stdin) against the Kubernetes API types of the npm library
// kubernetes-models. Fails on any invalid object and on any kind it does
// not know, so a typo in apiVersion or kind cannot slip through.
//
//   helm template ... | node deploy/helm/validate.mjs <label>
import { parseAllDocuments } from "yaml";

// Kinds the chart renders, by apiVersion/kind -> module of kubernetes-models.
const MODULES = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
};

const label = process.argv[2] || "stdin";
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

let failures = 0;
let count = 0;
const kinds = {};
for (const doc of parseAllDocuments(text)) {
  if (doc.errors.length > 0) {
    console.error(`${label}: YAML error: ${doc.errors[0].message}`);
    failures++;
    continue;
  }
  const object = doc.toJS();
  if (object === null || object === undefined) continue;  // empty document
  const where = `${label}: ${object.kind} ${object.metadata?.name ?? "?"}`;
  const modulePath = MODULES[object.apiVersion];
  if (!modulePath) {
    console.error(`${where}: unknown apiVersion ${object.apiVersion}`);
    failures++;
    continue;
  }
  const module = await import(modulePath);
  const Model = module[object.kind];
  if (typeof Model !== "function") {
    console.error(`${where}: unknown kind in ${object.apiVersion}`);
    failures++;
    continue;
  }
  try {
    new Model(object).validate();
    count++;
    kinds[object.kind] = (kinds[object.kind] ?? 0) + 1;
  } catch (error) {
    console.error(`${where}: invalid: ${error.message}`);
    failures++;
  }
}
if (count === 0 && failures === 0) {
  console.error(`${label}: nothing was rendered`);
  process.exit(1);
}
const summary = Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ");
console.log(`${label}: ${count} valid object(s): ${summary}`);
process.exit(failures > 0 ? 1 : 0);
