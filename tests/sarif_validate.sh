#!/bin/sh
# Validate SARIF files against the official SARIF 2.1.0 JSON schema (OASIS)
# with ajv (JSON Schema draft-07) and ajv-formats.
#
# Usage: tests/sarif_validate.sh FILE.sarif [FILE.sarif...]
#
# The schema and the validator are fetched once from the npm registry into
# build/sarif/ (git-ignored) and reused. The schema is the one
# @datadog/datadog-ci ships (the OASIS file, $id
# https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json,
# re-indented by its TypeScript build); its SHA-256 is pinned below, so a
# different file is refused rather than trusted.
set -eu

SCHEMA_PKG=@datadog/datadog-ci@2.48.0
SCHEMA_IN_PKG=package/dist/commands/sarif/json-schema/sarif-schema-2.1.0.json
SCHEMA_SHA256=10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454
VALIDATOR="ajv@8.20.0 ajv-formats@3.0.1"

die() {
	echo "sarif_validate: $*" >&2
	exit 2
}

[ $# -ge 1 ] || die "usage: $0 FILE.sarif [FILE.sarif...]"
for f in "$@"; do
	[ -f "$f" ] || die "$f: no such file"
done

root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/build/sarif
schema=$dir/sarif-schema-2.1.0.json
mkdir -p "$dir"
command -v node > /dev/null 2>&1 || die "node is missing (apt-get install nodejs npm)"

# The schema: one file out of the package tarball, checked against the pin.
if [ ! -f "$schema" ]; then
	command -v npm > /dev/null 2>&1 || die "npm is missing (apt-get install npm)"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && npm pack --silent "$SCHEMA_PKG" > /dev/null) ||
		die "npm pack $SCHEMA_PKG failed"
	tar -xzf "$tmp"/*.tgz -C "$tmp" "$SCHEMA_IN_PKG" ||
		die "$SCHEMA_PKG has no $SCHEMA_IN_PKG"
	mv "$tmp/$SCHEMA_IN_PKG" "$schema.tmp"
	rm -rf "$tmp"
	trap - EXIT
	mv "$schema.tmp" "$schema"
fi
echo "$SCHEMA_SHA256  $schema" | sha256sum -c --status ||
	die "$schema: SHA-256 is not $SCHEMA_SHA256 (delete build/sarif to fetch it again)"

# The validator, exact versions.
if [ ! -f "$dir/node_modules/ajv/package.json" ] ||
	[ ! -f "$dir/node_modules/ajv-formats/package.json" ]; then
	command -v npm > /dev/null 2>&1 || die "npm is missing (apt-get install npm)"
	# shellcheck disable=SC2086 # VALIDATOR is a word list
	npm install --silent --no-audit --no-fund --save-exact --prefix "$dir" $VALIDATOR > /dev/null ||
		die "npm install $VALIDATOR failed"
fi

cat > "$dir/validate.js" << 'EOF'
// node validate.js DIR FILE...: validate each FILE against DIR/sarif-schema-2.1.0.json.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const Ajv = require(path.join(dir, 'node_modules/ajv'));
const addFormats = require(path.join(dir, 'node_modules/ajv-formats'));

const schema = JSON.parse(fs.readFileSync(path.join(dir, 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

// The validator must be able to say no: a log without a driver name is invalid.
if (validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })) {
	console.error('sarif_validate: the validator accepts an invalid log');
	process.exit(2);
}

let failed = 0;
for (const file of process.argv.slice(3)) {
	let doc;
	try {
		doc = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		console.error(`${file}: not JSON: ${e.message}`);
		failed++;
		continue;
	}
	if (validate(doc)) {
		console.log(`${file}: valid SARIF 2.1.0`);
		continue;
	}
	failed++;
	for (const e of validate.errors)
		console.error(`${file}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
process.exit(failed ? 1 : 0);
EOF

node "$dir/validate.js" "$dir" "$@"
