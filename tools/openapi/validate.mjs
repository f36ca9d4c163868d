// Validates an OpenAPI document: its structure against the specification's
// schema and every $ref resolved. Prints "valid" or the problems, and exits
// non-zero when invalid. Usage: node validate.mjs FILE
import SwaggerParser from "@apidevtools/swagger-parser";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs FILE");
  process.exit(2);
}
try {
  const api = await SwaggerParser.validate(file);
  const paths = Object.keys(api.paths ?? {}).length;
  console.log(`valid: OpenAPI ${api.openapi}, ${paths} paths`);
} catch (err) {
  console.error(err.message);
  for (const d of err.details ?? []) console.error(JSON.stringify(d));
  process.exit(1);
}
