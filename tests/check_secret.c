/* Secret detection: name traps, token formats, values, redaction, key files, the corpus. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drydock/ast.h"
#include "drydock/buf.h"
#include "drydock/error.h"
#include "drydock/secret.h"
#include "drydock/source.h"
#include "testutil.h"

/*
 * Test tokens are generated at run time (prefix + pseudo-random body), so
 * this file holds no string that a secret scanner would take for a real
 * token; private-key headers are split for the same reason.
 */
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define UPDIG "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
#define B64URL ALNUM "-_"
#define B64 ALNUM "+/"
#define PEM_BEGIN(label) "-----BEGIN " label " KEY-----"
#define PEM_END(label) "-----END " label " KEY-----"

static char tokbuf[64][1024];
static unsigned tokslot;

/* prefix + n characters of alphabet; seed picks the sequence. */
static const char *
tok(const char *prefix, size_t n, const char *alphabet, unsigned seed)
{
	char *out = tokbuf[tokslot++ % 64];
	size_t pl = strlen(prefix), an = strlen(alphabet);
	unsigned x = seed * 2654435761u + 12345u;

	ck_assert(pl + n < sizeof(tokbuf[0]));
	memcpy(out, prefix, pl);
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		out[pl + i] = alphabet[x % an];
	}
	out[pl + n] = '\0';
	return out;
}

/* printf into a rotating buffer. */
static const char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static const char *
fmt(const char *f, ...)
{
	char *out = tokbuf[tokslot++ % 64];
	va_list ap;
	va_start(ap, f);
	vsnprintf(out, sizeof(tokbuf[0]), f, ap);
	va_end(ap);
	return out;
}

/* ---- scan helpers ---- */

typedef struct {
	size_t n;
	dd_secret_hit hits[8];
} hits;

static void
collect(void *ctx, const dd_secret_hit *hit)
{
	hits *h = ctx;
	if (h->n < 8)
		h->hits[h->n] = *hit;
	h->n++;
}

static hits
scan(const char *text)
{
	hits h = { 0 };
	size_t n = dd_secret_scan(text, strlen(text), collect, &h);
	ck_assert_uint_eq(n, h.n);
	return h;
}

/* Exactly one hit, of kind, covering exactly secret. */
static void
expect_hit(const char *text, const char *kind, const char *secret)
{
	hits h = scan(text);
	ck_assert_msg(h.n == 1, "%zu hits in: %s", h.n, text);
	const dd_secret_hit *x = &h.hits[0];
	ck_assert_msg(strcmp(x->kind, kind) == 0, "kind \"%s\", want \"%s\" in: %s",
	    x->kind, kind, text);
	ck_assert_msg(x->end - x->start == strlen(secret) &&
	    memcmp(text + x->start, secret, strlen(secret)) == 0,
	    "range \"%.*s\", want \"%s\"", (int)(x->end - x->start),
	    text + x->start, secret);
}

static void
expect_none(const char *text)
{
	hits h = scan(text);
	ck_assert_msg(h.n == 0, "unexpected %s \"%.*s\" in: %s", h.hits[0].kind,
	    (int)(h.hits[0].end - h.hits[0].start), text + h.hits[0].start, text);
}

static bool
name(const char *s)
{
	return dd_secret_name(s, strlen(s), NULL);
}

static bool
plausible(const char *s)
{
	return dd_secret_value_plausible(s, strlen(s));
}

static bool
path(const char *s)
{
	return dd_secret_path(s, strlen(s), NULL);
}

/* ---- names ---- */

START_TEST(test_secret_name_positive)
{
	static const char *const yes[] = {
		"PASSWORD", "MYSQL_ROOT_PASSWORD", "DB_PASSWD", "SMTP_PWORD",
		"DB_PWD", "ADMIN_PSW", "GPG_PASSPHRASE", "JWT_SECRET",
		"CLIENT_SECRET", "SECRET_KEY", "SECRET_KEY_BASE", "API_KEY",
		"ACCESS_KEY", "PRIVATE_KEY", "AWS_SECRET_ACCESS_KEY",
		"GITHUB_TOKEN", "NPM_TOKEN", "APIKEY", "apiKey", "APIKey",
		"dbPassword", "AUTH_TOKEN", "authToken", "CREDENTIALS",
		"DOCKER_CREDS", "NPM_AUTH", "BASIC_AUTH", "DB_PASS",
		"SMTP_PASS", "PASSWORD2", "LICENSE_KEY", "ENCRYPTION_KEY",
		"SSH_KEY", "KEY", "API_KEYS", "rootpassword", "mysecret",
		"GITHUBTOKEN", "SECRETKEY", "PRIVATEKEY", "ACCESSKEY",
		"OAuth2Token", "client.secret", "db-password",
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(yes); i++)
		ck_assert_msg(name(yes[i]), "%s should be a secret name", yes[i]);
}
END_TEST

START_TEST(test_secret_name_traps)
{
	static const char *const no[] = {
		/* public keys, fingerprints, checksums (docker-library) */
		"GPG_KEY", "GPG_KEYS", "PGP_KEY", "NGINX_GPGKEY", "NGINX_GPGKEYS",
		"RABBITMQ_PGP_KEY_ID", "OPENSSL_PGP_KEY_IDS", "PGP_KEYSERVER",
		"KEY_SHA512", "PYTHON_GET_PIP_SHA256", "PYTHON_SHA256",
		"NODE_VERSION", "PUBLIC_KEY", "PUBLIC_KEY_URL", "PUB_KEY",
		/* where a secret is, not the secret */
		"POSTGRES_PASSWORD_FILE", "SECRET_FILE", "GITHUB_TOKEN_FILE",
		"KEY_PATH", "SSH_KEY_DIR", "TOKEN_URL", "PASSWORD_STORE_DIR",
		"GOOGLE_APPLICATION_CREDENTIALS", "SSH_AUTH_SOCK",
		/* metadata and switches */
		"PASSWORD_MIN_LENGTH", "PASS_MAX_DAYS", "KEY_ALIAS",
		"PASSWORD_PROMPT_STRING", "DOCKER_AUTH_MODE", "AUTH_TYPE",
		"KEY_SIZE", "TOKEN_TYPE", "MAX_TOKENS", "AUTH_ENABLED",
		"AWS_ACCESS_KEY_ID", "SECRET_NAME", "CLIENT_ID",
		/* ordinary words (hadolint and BuildKit false positives) */
		"KEYBOARD_LAYOUT", "GOPRIVATE", "TRAVIS_OS_NAME",
		"FACEBOOK_APP_ID", "username", "USERNAME", "TOKENIZERS_PARALLELISM",
		"MONKEY", "BYPASS", "PASS_THROUGH", "AUTH_SERVER", "PRIVATE_REGISTRY",
		"AUTHOR", "PWD", "OLDPWD", "APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE",
		"AUTHORIZED_KEYS", "CACHE_KEY", "cancelTokenSource", "", "_",
		"KEYCLOAK_ADMIN", "MYSQL_RANDOM_ROOT_PASSWORD",
		"MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_ONETIME_PASSWORD",
		"MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "POSTGRES_HOST_AUTH_METHOD",
		"NO_AUTH", "TOKEN_TTL", "KEY_SERVER",
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(no); i++)
		ck_assert_msg(!name(no[i]), "%s should not be a secret name", no[i]);
}
END_TEST

START_TEST(test_secret_name_why)
{
	const char *why = NULL;

	ck_assert(dd_secret_name("DB_PASSWORD", 11, &why));
	ck_assert_str_eq(why, "the name contains PASSWORD");
	why = "untouched";
	ck_assert(!dd_secret_name("GPG_KEY", 7, &why));
	ck_assert_str_eq(why, "untouched");
	ck_assert(dd_secret_name("API_KEY", 7, NULL));
	/* a length bounds the name: DB_PASSWORD_FILE read as DB_PASSWORD */
	ck_assert(dd_secret_name("DB_PASSWORD_FILE", 11, NULL));
}
END_TEST

/* ---- token formats ---- */

START_TEST(test_secret_scan_aws)
{
	const char *id = tok("AKIA", 16, UPDIG, 1);
	const char *sk = tok("", 40, B64, 2);

	const char *asia = tok("ASIA", 16, UPDIG, 3);

	expect_hit(fmt("export AWS_ACCESS_KEY_ID=%s", id), "AWS access key id", id);
	expect_hit(fmt("x %s y", asia), "AWS access key id", asia);
	/* the documented example key, too short, too long, inside a word */
	expect_none("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE");
	expect_none(tok("AKIA", 15, UPDIG, 4));
	expect_none(tok("AKIA", 17, UPDIG, 5));
	expect_none(fmt("X%s", id));
	expect_none("AKIAAAAAAAAAAAAAAAAA");

	expect_hit(fmt("ENV AWS_SECRET_ACCESS_KEY=%s", sk), "AWS secret access key", sk);
	expect_hit(fmt("aws configure set aws_secret_access_key %s", sk),
	    "AWS secret access key", sk);
	hits h = scan(fmt("KEY=%s SECRET=%s", id, sk));
	ck_assert_uint_eq(h.n, 2);
	ck_assert_str_eq(h.hits[1].kind, "AWS secret access key");
	/* 40 characters of base64 without AWS context are no AWS secret */
	expect_none(fmt("checksum=%s", sk));
	expect_none("aws s3 cp s3://Bucket7/DataZ/Logs2/K8s/Reports/Q3/F9w .");
	expect_none("AWS_REGION=us-east-1 GIT_COMMIT=da39a3ee5e6b4b0d3255bfef95601890afd80709");
}
END_TEST

START_TEST(test_secret_scan_github_gitlab)
{
	const char *ghp = tok("ghp_", 36, ALNUM, 10);
	const char *pat = tok("github_pat_", 82, ALNUM "_", 11);
	const char *gl = tok("glpat-", 20, B64URL, 12);
	const char *gho = tok("gho_", 36, ALNUM, 13);
	const char *ghs = tok("ghs_", 40, ALNUM, 14);

	expect_hit(fmt("git config url.x %s", ghp), "GitHub token", ghp);
	expect_hit(pat, "GitHub token", pat);
	expect_hit(gho, "GitHub token", gho);
	expect_hit(ghs, "GitHub token", ghs);
	expect_none(tok("ghp_", 20, ALNUM, 15));
	expect_none("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	expect_none("ghp_000000000000000000000000000000000000");
	expect_none(fmt("aghp_%s", ghp + 4));

	expect_hit(fmt("TOKEN=%s", gl), "GitLab token", gl);
	expect_none(tok("glpat-", 10, B64URL, 16));
}
END_TEST

START_TEST(test_secret_scan_slack_stripe_google)
{
	const char *xoxb = fmt("xoxb-%s-%s-%s", tok("", 12, "0123456789", 20),
	    tok("", 12, "0123456789", 21), tok("", 24, ALNUM, 22));
	const char *hook = fmt("hooks.slack.com/services/T%s/B%s/%s",
	    tok("", 8, UPDIG, 23), tok("", 8, UPDIG, 24), tok("", 24, ALNUM, 25));
	const char *sk = tok("sk_live_", 24, ALNUM, 26);
	const char *aiza = tok("AIza", 35, B64URL, 27);
	const char *sk_test = tok("sk_test_", 24, ALNUM, 28);
	const char *rk = tok("rk_live_", 24, ALNUM, 29);

	expect_hit(fmt("SLACK=%s", xoxb), "Slack token", xoxb);
	expect_none("xoxb-not-a-real-token");
	expect_hit(fmt("curl -X POST https://%s", hook), "Slack webhook", hook);
	expect_none("https://hooks.slack.com/services/");
	expect_none("https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX");

	expect_hit(fmt("STRIPE=%s", sk), "Stripe secret key", sk);
	expect_hit(sk_test, "Stripe secret key", sk_test);
	expect_hit(rk, "Stripe secret key", rk);
	/* publishable keys are public */
	expect_none(tok("pk_live_", 24, ALNUM, 30));

	expect_hit(fmt("key=%s&q=1", aiza), "Google API key", aiza);
	expect_none(tok("AIza", 34, B64URL, 31));
}
END_TEST

START_TEST(test_secret_scan_npm_pypi)
{
	const char *npm = tok("npm_", 36, ALNUM, 40);
	const char *pypi = tok("pypi-AgEIcHlwaS5vcmc", 60, B64URL, 41);

	expect_hit(fmt("//registry.npmjs.org/:_authToken=%s", npm), "npm token", npm);
	expect_none("npm_config_cache=/tmp/npm");
	expect_none(tok("npm_", 30, ALNUM, 42));
	expect_hit(fmt("TWINE_PASSWORD=%s", pypi), "PyPI token", pypi);
	expect_none("pypi-AgEIcHlwaS5vcmc");
}
END_TEST

START_TEST(test_secret_scan_private_key)
{
	const char *body = tok("", 64, B64, 50);
	const char *key = fmt(PEM_BEGIN("RSA PRIVATE") "\n%s\n%s==\n" PEM_END("RSA PRIVATE"),
	    body, tok("", 30, B64, 51));

	expect_hit(fmt("RUN echo '%s' > /root/.ssh/id_rsa", key), "private key", key);
	/* escaped newlines inside one ENV value, and an OpenSSH key */
	const char *env = fmt(PEM_BEGIN("OPENSSH PRIVATE") "\\n%s\\n" PEM_END("OPENSSH PRIVATE"), body);
	expect_hit(fmt("ENV K=\"%s\"", env), "private key", env);
	/* no END line: the header and the body */
	const char *open = fmt(PEM_BEGIN("EC PRIVATE") "\n%s", body);
	expect_hit(open, "private key", open);
	/* a header alone, public keys and certificates */
	expect_none("grep -q -- '" PEM_BEGIN("OPENSSH PRIVATE") "' ~/.ssh/id_rsa");
	expect_none(fmt(PEM_BEGIN("PUBLIC") "\n%s\n" PEM_END("PUBLIC"), body));
	expect_none(fmt("-----BEGIN CERTIFICATE-----\n%s\n-----END CERTIFICATE-----", body));
}
END_TEST

START_TEST(test_secret_scan_jwt)
{
	const char *jwt = fmt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ%s.%s",
	    tok("", 40, B64URL, 60), tok("", 43, B64URL, 61));

	expect_hit(fmt("curl -H \"X: %s\" x", jwt), "JWT", jwt);
	expect_none("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
	expect_none(fmt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.%s.%s",
	    tok("", 40, B64URL, 62), tok("", 43, B64URL, 63)));
}
END_TEST

START_TEST(test_secret_scan_url)
{
	expect_hit("git clone https://deploy:Zq8vT3mK9wLp2x@github.com/o/r",
	    "password in URL", "Zq8vT3mK9wLp2x");
	expect_hit("ENV http_proxy=http://me:hunter22@proxy:3128",
	    "password in URL", "hunter22");
	expect_hit("https://:tok3nVa1ue@host/x", "password in URL", "tok3nVa1ue");
	const char *ghp = tok("ghp_", 36, ALNUM, 70);
	expect_hit(fmt("https://x-access-token:%s@github.com/o/r", ghp), "GitHub token", ghp);
	expect_none("git clone https://user@github.com/o/r");
	expect_none("git clone ssh://git@github.com/o/r");
	expect_none("git clone https://user:$PASS@github.com/o/r");
	expect_none("git clone https://user:${GIT_TOKEN}@github.com/o/r");
	expect_none("git clone https://%USER%:%PASS%@github.com/o/r");
	expect_none("git clone https://user:@github.com/o/r");
	expect_none("git clone https://:@github.com/o/r");
	expect_none("git clone https://user:password@example.com/o/r");
	expect_none("curl http://localhost:8080/health");
	expect_none("postgres://user:{{ .Password }}@db/app");
}
END_TEST

START_TEST(test_secret_scan_options)
{
	expect_hit("mysql --password=S3cr3tPw -e 'select 1'", "password option", "S3cr3tPw");
	expect_hit("helm repo add x https://h --username u --password Pa55w0rdX",
	    "password option", "Pa55w0rdX");
	expect_hit("mysql -uroot -pS3cr3tPw db", "password option", "S3cr3tPw");
	expect_hit("/usr/bin/mariadb-dump -p\"S3cr3tPw\" db", "password option", "S3cr3tPw");
	expect_hit("docker login -u me -p hunter22x registry.example.org",
	    "password option", "hunter22x");
	expect_hit("vault write x --token=s.Ab12Cd34Ef56", "token option", "s.Ab12Cd34Ef56");
	expect_hit("kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef",
	    "token option", "abcdef.0123456789abcdef");
	expect_hit("tool --api-key=Ab12Cd34Ef56Gh78", "token option", "Ab12Cd34Ef56Gh78");
	/* mysql: -p alone prompts, -p db names the database */
	expect_none("mysql -uroot -p");
	expect_none("mysql -uroot -p mydb");
	expect_none("mysql -uroot --password mydb");
	expect_none("mysql -uroot -p\"$MYSQL_ROOT_PASSWORD\"");
	expect_none("mysqladmin -uroot -p${MYSQL_ROOT_PASSWORD} ping");
	expect_none("echo $PW | docker login -u me --password-stdin");
	expect_none("docker login -u me -p \"$(cat /run/secrets/pw)\" r");
	expect_none("docker run -p 8080:80 nginx");
	expect_none("pg_dump -p 5432 db");
	expect_none("tool --password-file=/run/secrets/pw");
	expect_none("tool --password=$PW --token ${TOKEN} --secret=%SECRET%");
	expect_none("docker build --secret id=npm,src=/root/.npmrc .");
	expect_none("tool --token=changeme --password=password --no-password x");
	expect_none("tool --password= x");
}
END_TEST

START_TEST(test_secret_scan_headers)
{
	expect_hit("curl -H \"Authorization: Bearer Ab12Cd34Ef56Gh78\" https://x",
	    "Authorization header", "Ab12Cd34Ef56Gh78");
	expect_hit("curl -H 'authorization: Basic dXNlcjpwYXNzd29yZDE=' https://x",
	    "Authorization header", "dXNlcjpwYXNzd29yZDE=");
	const char *ghp = tok("ghp_", 36, ALNUM, 80);
	expect_hit(fmt("curl -H 'Authorization: token %s' https://x", ghp), "GitHub token", ghp);
	expect_hit("curl --header \"PRIVATE-TOKEN: Ab12Cd34Ef56Gh78\" https://x",
	    "API key header", "Ab12Cd34Ef56Gh78");
	expect_hit("Invoke-WebRequest -Headers @{'Authorization' = 'Bearer Ab12Cd34Ef56'}",
	    "Authorization header", "Ab12Cd34Ef56");
	expect_none("curl -H \"Authorization: Bearer $TOKEN\" https://x");
	expect_none("curl -H \"Authorization: Bearer ${TOKEN}\" https://x");
	expect_none("curl -H 'Authorization: Bearer' https://x");
	expect_none("curl -H \"Authorization: token $(cat /run/secrets/gh)\" x");
	expect_none("# see the Authorization header docs");
}
END_TEST

START_TEST(test_secret_scan_curl_user)
{
	expect_hit("curl -fsSL -u admin:S3cr3tPw https://x", "curl credentials", "S3cr3tPw");
	expect_hit("curl --user 'admin:S3cr3tPw' https://x", "curl credentials", "S3cr3tPw");
	expect_hit("curl --user=admin:S3cr3tPw https://x", "curl credentials", "S3cr3tPw");
	expect_none("curl -u \"$USER:$PASS\" https://x");
	expect_none("curl -u admin https://x");
	expect_none("curl --user-agent a:b https://x");
	expect_none("useradd -u 1000:1000 app && curl https://x");
	expect_none("curl https://x && useradd -u a:b app");
}
END_TEST

START_TEST(test_secret_scan_assignment)
{
	expect_hit("RUN DB_PASSWORD=Zq8vT3mK9wLp2 ./migrate", "secret assignment",
	    "Zq8vT3mK9wLp2");
	expect_hit("export API_KEY=\"Zq8vT3mK9wLp2\"", "secret assignment", "Zq8vT3mK9wLp2");
	/* huginn: APP_SECRET_TOKEN=secret is a stand-in */
	expect_none("RUN APP_SECRET_TOKEN=secret DATABASE_ADAPTER=mysql2 bundle install");
	expect_none("GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D");
	/* docker-library/postgres: a fingerprint in a shell variable */
	expect_none("set -ex; key='B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8'; gpg --recv-keys \"$key\"");
	expect_none("SIGNING_KEY=B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8 ./verify");
	expect_none("for key in $GPG_KEYS; do gpg --recv-keys \"$key\"; done");
	expect_none("DB_PASSWORD=$DB_PASSWORD ./x; PASSWORD_FILE=/run/secrets/x ./y");
	expect_none("github_api_token=$GITHUB_TOKEN owner=louislam");
	expect_hit("echo //registry.npmjs.org/:_authToken=6f1c2a9e-4b1d-4f6c-8e5a-7b3d9c1f2e4a > .npmrc",
	    "secret assignment", "6f1c2a9e-4b1d-4f6c-8e5a-7b3d9c1f2e4a");
	expect_none("echo //registry.npmjs.org/:_authToken=${NPM_TOKEN} > .npmrc");
	expect_none("echo http://h:PORT=1");
}
END_TEST

START_TEST(test_secret_scan_nothing)
{
	expect_none("");
	expect_none("apt-get update && apt-get install -y --no-install-recommends ca-certificates");
	expect_none("gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "
	    "B42F6819007F00F88E364FD4036A9C25BF357DD4");
	expect_none("echo \"e09fa32f0a0eab2b879ccbbc4d0e4fb9751486eedda75e35fac65802cc9faa26 *x\" | sha256sum -c -");
	expect_none("RUN --mount=type=secret,id=mysecret cat /run/secrets/mysecret");
	ck_assert_uint_eq(dd_secret_scan(NULL, 0, NULL, NULL), 0);
	ck_assert_uint_eq(dd_secret_scan("AKIA", 4, NULL, NULL), 0);
}
END_TEST

/* ---- values ---- */

START_TEST(test_secret_value_plausible)
{
	ck_assert(plausible(tok("", 24, ALNUM, 90)));
	ck_assert(plausible(fmt("\"%s\"", tok("", 24, ALNUM, 91))));
	ck_assert(plausible(tok("AKIA", 16, UPDIG, 92)));
	ck_assert(plausible(tok("ghp_", 36, ALNUM, 93)));
	ck_assert(plausible("Zq8vT3mK9wLp2"));
	ck_assert(plausible("admin123"));
	ck_assert(plausible("7f3c2a9e4b1d8f6c0e5a7b3d9c1f2e4a"));
	ck_assert(plausible("c0rrecthorsebatterystaple"));
}
END_TEST

START_TEST(test_secret_value_not_plausible)
{
	const char *const no[] = {
		"", "\"\"", "''", " ", "$DB_PASSWORD", "${DB_PASSWORD}",
		"${DB_PASSWORD:-x}", "$(cat /run/secrets/x)", "%DB_PASSWORD%",
		"{{ .Password }}", "xxxxxxxx", "********", "00000000", "changeme",
		"CHANGE_ME", "changeit", "<your-token>", "your_token_here",
		"example-token-123", "placeholder", "dummy-password", "password",
		"secret", "mysecretpassword", "true", "false", "none", "null",
		"12345678", "1.2.3", "v2.4.1", "/run/secrets/db_password",
		"./secrets/key", "~/.ssh/id_rsa", "C:\\secrets\\pw.txt",
		"https://vault.example.org/v1/secret", "postgres", "kubernetes",
		"admin", "Passw0", "user@example.org", "two words here",
		"aaaabbbb", "django-insecure-abcdefghijklmnopqrstuvwxyz123",
		"B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8", "0x7FCC7D46ACCC4CF8",
	};
	for (size_t i = 0; i < DD_ARRAY_LEN(no); i++)
		ck_assert_msg(!plausible(no[i]), "\"%s\" should not be plausible", no[i]);
	ck_assert(!dd_secret_value_plausible(NULL, 0));
}
END_TEST

/* A name and its value together, as DD201/DD202 judge an ENV or ARG. */
START_TEST(test_secret_env_pairs)
{
	const char *id = tok("AKIA", 16, UPDIG, 96);
	const struct {
		const char *name, *value;
		bool secret;
	} pairs[] = {
		{ "GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D", false },
		{ "GPG_KEYS", "\"4ED778F539E3634C779C87C6D7062848A1AB005C "
		    "141F07595B7B3FFE74309A937405533BE57C7D57\"", false },
		{ "PYTHON_GET_PIP_SHA256", "\"dfe9fd5c28dc98b5ac17979a953ea550"
		    "cec37ae1b47a5116007395bfacff2ab9\"", false },
		{ "NODE_VERSION", "22.11.0", false },
		{ "PYTHON_GET_PIP_URL", "https://github.com/pypa/get-pip/raw/x/get-pip.py", false },
		{ "POSTGRES_PASSWORD_FILE", "/run/secrets/postgres-passwd", false },
		{ "SECRET_FILE", "/run/secrets/x", false },
		{ "PASSWORD_MIN_LENGTH", "12", false },
		{ "KEYBOARD_LAYOUT", "us", false },
		{ "PUBLIC_KEY_URL", "https://example.org/key.asc", false },
		{ "SSH_AUTH_SOCK", "/ssh-agent", false },
		{ "KEY_ALIAS", "release", false },
		{ "GOPRIVATE", "github.com/acme/*", false },
		{ "GITHUB_TOKEN_FILE", "/run/secrets/gh", false },
		{ "TRAVIS_OS_NAME", "linux", false },
		{ "FACEBOOK_APP_ID", "1234567890123456", false },
		{ "username", "Zq8vT3mK9wLp2", false },
		{ "DB_PASSWORD", "\"${DB_PASSWORD}\"", false },
		{ "DB_PASSWORD", "changeme", false },
		{ "DB_PASSWORD", "\"Zq8vT3mK9wLp2\"", true },
		{ "API_KEY", tok("", 32, ALNUM, 97), true },
		{ "GITHUB_TOKEN", tok("ghp_", 36, ALNUM, 98), true },
	};

	for (size_t i = 0; i < DD_ARRAY_LEN(pairs); i++) {
		bool got = name(pairs[i].name) && plausible(pairs[i].value);
		ck_assert_msg(got == pairs[i].secret, "%s=%s: %d", pairs[i].name,
		    pairs[i].value, got);
	}
	/* the key id's name is not secret, its value is found by format */
	ck_assert(!name("AWS_ACCESS_KEY_ID"));
	ck_assert_uint_eq(dd_secret_scan(id, strlen(id), NULL, NULL), 1);
}
END_TEST

START_TEST(test_secret_entropy)
{
	unsigned char all[256];

	ck_assert(dd_secret_entropy("", 0) == 0.0);
	ck_assert(dd_secret_entropy("aaaa", 4) == 0.0);
	ck_assert_double_eq_tol(dd_secret_entropy("ab", 2), 1.0, 1e-9);
	ck_assert_double_eq_tol(dd_secret_entropy("abcd", 4), 2.0, 1e-9);
	ck_assert_double_eq_tol(dd_secret_entropy("aabb", 4), 1.0, 1e-9);
	ck_assert_double_eq_tol(dd_secret_entropy("0123456789abcdef", 16), 4.0, 1e-9);
	for (size_t i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	ck_assert_double_eq_tol(dd_secret_entropy((const char *)all, 256), 8.0, 1e-9);
	/* random tokens score high, words low */
	ck_assert(dd_secret_entropy(tok("", 40, ALNUM, 95), 40) > 4.5);
	ck_assert(dd_secret_entropy("password", 8) < 3.0);
}
END_TEST

/* ---- redaction ---- */

static const char *
redacted(const char *s)
{
	static char out[64];
	dd_buf b = DD_BUF_INIT;
	dd_secret_redact(&b, s, strlen(s));
	snprintf(out, sizeof(out), "%s", b.ptr);
	dd_buf_free(&b);
	return out;
}

START_TEST(test_secret_redact)
{
	ck_assert_str_eq(redacted(tok("ghp_", 36, ALNUM, 100)), "ghp_****");
	ck_assert_str_eq(redacted(tok("AKIA", 16, UPDIG, 101)), "AKIA****");
	/* under 16 characters nothing is shown */
	ck_assert_str_eq(redacted("hunter2"), "****");
	ck_assert_str_eq(redacted("abcdefghijklmno"), "****");
	ck_assert_str_eq(redacted("abcdefghijklmnop"), "abcd****");
	ck_assert_str_eq(redacted(""), "****");
	/* characters, not bytes: no UTF-8 sequence is cut */
	ck_assert_str_eq(redacted("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9****");
	ck_assert_str_eq(redacted("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"), "****");
}
END_TEST

START_TEST(test_secret_redact_all)
{
	dd_buf b = DD_BUF_INIT;
	const char *ghp = tok("ghp_", 36, ALNUM, 110);

	dd_buf_printf(&b, "ENV T=%s and https://u:Pa55wordXyz@h/ end", ghp);
	ck_assert_uint_eq(dd_secret_redact_all(&b), 2);
	ck_assert_str_eq(b.ptr, "ENV T=ghp_**** and https://u:****@h/ end");
	ck_assert_uint_eq(b.len, strlen(b.ptr));
	/* idempotent, and a message without secrets is untouched */
	ck_assert_uint_eq(dd_secret_redact_all(&b), 0);
	ck_assert_str_eq(b.ptr, "ENV T=ghp_**** and https://u:****@h/ end");
	dd_buf_clear(&b);
	dd_buf_puts(&b, "nothing here");
	ck_assert_uint_eq(dd_secret_redact_all(&b), 0);
	ck_assert_str_eq(b.ptr, "nothing here");
	/* a short password grows to "****" */
	dd_buf_clear(&b);
	dd_buf_puts(&b, "https://u:ab1@h");
	ck_assert_uint_eq(dd_secret_redact_all(&b), 1);
	ck_assert_str_eq(b.ptr, "https://u:****@h");
	dd_buf_free(&b);
	ck_assert_uint_eq(dd_secret_redact_all(&b), 0);
	ck_assert_uint_eq(dd_secret_redact_all(NULL), 0);
}
END_TEST

/* ---- files ---- */

START_TEST(test_secret_path)
{
	static const char *const yes[] = {
		"id_rsa", "./id_ed25519", "/root/.ssh/id_ecdsa", "~/.ssh/id_rsa",
		".ssh", ".ssh/", "home/.ssh/deploy", "*.pem", "certs/*.pem",
		"server.key", "key.pem", "ca-key.pem", "privkey.pem", "ca.key",
		".env", "config/.env.production", ".env.local", ".npmrc",
		".pypirc", ".netrc", ".git-credentials", ".pgpass",
		".aws/credentials", ".aws", "/root/.aws/", ".docker/config.json",
		".docker", "kubeconfig", "kubeconfig.yaml", ".kube/config",
		"credentials.json", "service-account-prod.json",
		"service-account*.json", "keystore.jks", "client.p12",
		"cert.pfx", "id_*", "*.env", ".env*", "deploy.ppk",
		".vault-token", "secrets\\id_rsa", "\"id_rsa\"",
	};
	static const char *const no[] = {
		".env.example", ".env.sample", ".env.template", "id_rsa.pub",
		"*.pub", ".ssh/id_rsa.pub", "server.crt", "*.crt", "ca.pem",
		"fullchain.pem", "cert.pem", "chain.pem", ".ssh/known_hosts",
		".ssh/authorized_keys", ".ssh/config", ".aws/config",
		".docker/daemon.json", "package.json", ".", "*", "*.*", "",
		"/", "nginx_signing.key", "yarn-pubkey.gpg.key", "repo.key",
		"truststore.jks", "https://nginx.org/keys/nginx_signing.key",
		".yarnrc.yml", "keyboard.txt", "src/", "docker-entrypoint.sh",
		".environment", "env", "id_rsa_test.go",
	};
	const char *what = NULL;

	for (size_t i = 0; i < DD_ARRAY_LEN(yes); i++)
		ck_assert_msg(path(yes[i]), "%s should be a secret file", yes[i]);
	for (size_t i = 0; i < DD_ARRAY_LEN(no); i++)
		ck_assert_msg(!path(no[i]), "%s should not be a secret file", no[i]);
	ck_assert(dd_secret_path("id_rsa", 6, &what));
	ck_assert_str_eq(what, "SSH private key");
	ck_assert(!dd_secret_path(NULL, 0, &what));
}
END_TEST

/* ---- robustness ---- */

/* Every prefix in an exactly sized heap block: reads past the end show up under ASan. */
static void
scan_prefixes(const char *text)
{
	size_t n = strlen(text);

	for (size_t k = 0; k <= n; k++) {
		char *p = malloc(k ? k : 1);
		memcpy(p, text, k);
		dd_secret_scan(p, k, NULL, NULL);
		dd_secret_value_plausible(p, k);
		dd_secret_path(p, k, NULL);
		dd_secret_name(p, k, NULL);
		free(p);
	}
}

/* Configuration files that hold credentials only sometimes. */
START_TEST(test_secret_config_files)
{
	static const char *const configs[] = {
		".npmrc", "app/.npmrc", "./.pypirc", ".netrc", ".env", "deploy/.env.production",
		".docker/config.json",
	};
	static const char *const not_configs[] = {
		"id_rsa", "certs/server.key", "kubeconfig", ".aws/credentials", "config.json",
		"*.npmrc", ".env.example", "package.json",
	};
	for (size_t i = 0; i < sizeof(configs) / sizeof(*configs); i++)
		ck_assert_msg(dd_secret_path_is_config(configs[i], strlen(configs[i])), "%s", configs[i]);
	for (size_t i = 0; i < sizeof(not_configs) / sizeof(*not_configs); i++)
		ck_assert_msg(!dd_secret_path_is_config(not_configs[i], strlen(not_configs[i])), "%s",
		    not_configs[i]);
}
END_TEST

START_TEST(test_secret_config_credential)
{
	static const char *const with[] = {
		"//npm.acme.example/:_authToken=3f6c0e0a-51d4-4c4b-9d8e-7a1f2b9c4e11\n",
		"registry=https://r.example/\n_auth=dXNlcjpwYXNz\n",
		"[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCJGE4\n",
		"machine github.com login bot password hunter2hunter2\n",
		"NODE_ENV=production\nexport SESSION_SECRET=\"pV9rT2xQ7mK4wZ8nB3cF6hJ1\"\n",
		"{\n  \"auths\": {\n    \"registry.example.com\": {\n      \"auth\": \"Ym90OnNlY3JldA==\"\n    }\n  }\n}\n",
		"<settings><servers><server><id>x</id><password>s3cr3t-value</password></server></servers></settings>\n",
		"npmAuthToken: \"abcd1234efgh5678\"\n",
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
	};
	static const char *const without[] = {
		"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\nalways-auth=true\nlegacy-peer-deps=true\n",
		"# local defaults\nNODE_ENV=production\nPORT=3000\nPASSWORD_MIN_LENGTH=12\nDB_PASSWORD=\n",
		"{\n  \"credsStore\": \"desktop\",\n  \"auths\": {}\n}\n",
		"[global]\nindex-url = https://pypi.example/simple\n",
		"npmAuthToken: \"${NPM_TOKEN}\"\nnpmRegistryServer: \"https://r.example\"\n",
		"<settings><servers><server><password>${env.REPO_PASSWORD}</password></server></servers></settings>\n",
		"",
	};
	for (size_t i = 0; i < sizeof(with) / sizeof(*with); i++)
		ck_assert_msg(dd_secret_config_has_credential(with[i], strlen(with[i])), "missed: %s", with[i]);
	for (size_t i = 0; i < sizeof(without) / sizeof(*without); i++)
		ck_assert_msg(!dd_secret_config_has_credential(without[i], strlen(without[i])), "reported: %s",
		    without[i]);
}
END_TEST

START_TEST(test_secret_truncations)
{
	scan_prefixes(fmt("curl -u a:%s -H 'Authorization: Bearer %s' https://u:p@h",
	    tok("", 12, ALNUM, 120), tok("", 20, ALNUM, 121)));
	scan_prefixes(fmt(PEM_BEGIN("RSA PRIVATE") "\n%s\n" PEM_END("RSA PRIVATE"),
	    tok("", 64, B64, 122)));
	scan_prefixes(fmt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ%s.%s",
	    tok("", 30, B64URL, 123), tok("", 30, B64URL, 124)));
	scan_prefixes(fmt("mysql -p'%s' && docker login -p \"%s\" x --token=\"ab",
	    tok("", 12, ALNUM, 125), tok("", 12, ALNUM, 126)));
	scan_prefixes(fmt("AWS_SECRET_ACCESS_KEY=%s %s hooks.slack.com/services/%s",
	    tok("", 40, B64, 127), tok("AKIA", 16, UPDIG, 128), tok("", 30, ALNUM, 129)));
	scan_prefixes("certs/[a-z]*.pem .ssh/ [!x] [ %USER% ${{x}} $");
}
END_TEST

START_TEST(test_secret_random_bytes)
{
	char buf[512];
	unsigned x = 2463534242u;

	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(round % (int)sizeof(buf));
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			/* bias towards the characters the matchers care about */
			static const char pick[] = "-=:@/$%{}'\" \n\\_AKIeyJgh.p";
			buf[i] = (x & 1) ? pick[(x >> 1) % (sizeof(pick) - 1)] : (char)(x >> 8);
		}
		dd_secret_scan(buf, n, NULL, NULL);
		dd_secret_value_plausible(buf, n);
		dd_secret_path(buf, n, NULL);
		dd_secret_name(buf, n, NULL);
		dd_buf b = DD_BUF_INIT;
		dd_buf_put(&b, buf, n);
		dd_secret_redact_all(&b);
		dd_buf_free(&b);
	}
}
END_TEST

/* Inputs that would make a careless matcher quadratic. */
static const char *const patterns[] = {
	"eyJ", "eyJaaaaaaaaaaaaaaaaaaaaaaaaa.", PEM_BEGIN("RSA PRIVATE") "\nMIIEowIBAAKCAQEAxxxxxxxxxxxxxxxxxxxxxxxxxxx ",
	"://", "https://u:", "--password=\"", "--token ", "-p'", "Authorization: '",
	"AKIA", "a", "A", "/", "hooks.slack.com/services/", "curl -u '",
	"%", "$", "DB_PASSWORD=\"", "-----END ", "ghp_",
};

START_TEST(test_secret_linear)
{
	const size_t size = 1 << 18;
	char *big = malloc(size);

	for (size_t k = 0; k < DD_ARRAY_LEN(patterns); k++) {
		size_t pl = strlen(patterns[k]);
		for (size_t i = 0; i < size; i++)
			big[i] = patterns[k][i % pl];
		clock_t t0 = clock();
		dd_secret_scan(big, size, NULL, NULL);
		dd_secret_value_plausible(big, size);
		dd_secret_path(big, size, NULL);
		dd_secret_name(big, size, NULL);
		double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		/* linear work is milliseconds; quadratic would take minutes */
		ck_assert_msg(secs < 5.0, "pattern \"%s\": %.1f s", patterns[k], secs);
	}
	free(big);
}
END_TEST

/* ---- the real-world corpus: silence on the official images ---- */

/*
 * Hits that are right. Each names a file of ../shared/corpus/realworld, a
 * line, what is found there, and why it is real; the test fails if an
 * entry is no longer seen, so the list cannot go stale.
 */
static const struct {
	const char *file;
	uint32_t line;
	const char *what;
	const char *why;
} corpus_expected[] = {
	/*
	 * uptime-kuma copies its .npmrc into the image. The file in that
	 * repository holds only settings, but an .npmrc is where npm keeps
	 * registry tokens, so DD203 is right to ask for a secret mount.
	 */
	{ "louislam__uptime-kuma/docker__dockerfile", 18, "copy .npmrc",
	    "an .npmrc is where registry tokens live" },
};

typedef struct {
	const char *file;
	dd_buf *report;
	bool *seen;
	size_t nhits;
} corpus_ctx;

static void
corpus_hit(corpus_ctx *c, uint32_t line, const char *what, const char *text, size_t len)
{
	for (size_t k = 0; k < DD_ARRAY_LEN(corpus_expected); k++) {
		if (strcmp(corpus_expected[k].file, c->file) == 0 &&
		    corpus_expected[k].line == line &&
		    strcmp(corpus_expected[k].what, what) == 0) {
			c->seen[k] = true;
			return;
		}
	}
	c->nhits++;
	dd_buf_printf(c->report, "\n  %s:%u: %s: ", c->file, line, what);
	dd_secret_redact(c->report, text, len);
}

typedef struct {
	corpus_ctx *c;
	uint32_t line;
	const char *text;
} corpus_scan_ctx;

static void
corpus_scan_hit(void *ctx, const dd_secret_hit *hit)
{
	corpus_scan_ctx *s = ctx;
	char what[64];

	snprintf(what, sizeof(what), "token %s", hit->kind);
	corpus_hit(s->c, s->line, what, s->text + hit->start, hit->end - hit->start);
}

static void
corpus_scan(corpus_ctx *c, uint32_t line, const char *text, size_t len)
{
	corpus_scan_ctx s = { c, line, text };
	dd_secret_scan(text, len, corpus_scan_hit, &s);
}

/* The official images: not even a secret-looking name may appear there. */
static bool
official(const char *file)
{
	static const char *const repos[] = {
		"docker-library__", "nginxinc__docker-nginx/",
		"nodejs__docker-node/", "rust-lang__docker-rust/",
		"adoptium__containers/",
	};
	for (size_t k = 0; k < DD_ARRAY_LEN(repos); k++)
		if (strncmp(file, repos[k], strlen(repos[k])) == 0)
			return true;
	return false;
}

/* ENV and ARG: the name with its value, and any token in the value. */
static void
corpus_kv(corpus_ctx *c, const dd_instr *ins)
{
	for (size_t k = 0; k < ins->as.kv.npairs; k++) {
		const dd_kv *kv = &ins->as.kv.pairs[k];
		const dd_word *v = &kv->value;
		if (official(c->file) &&
		    dd_secret_name(kv->key.text, kv->key.len, NULL))
			corpus_hit(c, ins->start_line, "secret name", kv->key.text,
			    kv->key.len);
		if (dd_secret_name(kv->key.text, kv->key.len, NULL) &&
		    dd_secret_value_plausible(v->text, v->len))
			corpus_hit(c, ins->start_line, "secret value", v->text, v->len);
		corpus_scan(c, ins->start_line, v->text, v->len);
	}
}

static void
corpus_copy(corpus_ctx *c, const dd_instr *ins)
{
	char what[64];

	for (size_t k = 0; k < ins->as.copy.nsources; k++) {
		const dd_word *w = &ins->as.copy.sources[k];
		if (!dd_secret_path(w->text, w->len, NULL))
			continue;
		snprintf(what, sizeof(what), "copy %.*s", (int)w->len, w->text);
		corpus_hit(c, ins->start_line, what, w->text, w->len);
	}
}

static void
corpus_instr(corpus_ctx *c, const dd_instr *ins)
{
	if (ins->kind == DD_INSTR_ENV || ins->kind == DD_INSTR_ARG)
		corpus_kv(c, ins);
	if ((ins->kind == DD_INSTR_COPY || ins->kind == DD_INSTR_ADD) &&
	    !dd_instr_flag(ins, "from"))
		corpus_copy(c, ins);
	/* RUN and every other line: token formats, options, URLs, headers */
	corpus_scan(c, ins->start_line, ins->line, ins->line_len);
	for (size_t h = 0; h < ins->nheredocs; h++)
		corpus_scan(c, ins->start_line, ins->heredocs[h].body,
		    ins->heredocs[h].body_len);
	if (ins->onbuild)
		corpus_instr(c, ins->onbuild);
}

/* The saved names of MANIFEST.tsv (first column, header skipped) into names. */
static char *
manifest_names(char ***names, size_t *count)
{
	char *mpath = tu_corpus_path("realworld/MANIFEST.tsv");
	size_t len, n = 0;
	char *text = tu_read_file(mpath, &len);

	free(mpath);
	ck_assert_msg(text != NULL, "cannot read realworld/MANIFEST.tsv (is DD_CORPUS set?)");
	*names = calloc(len + 1, sizeof(char *));
	for (char *p = text; *p;) {
		char *nl = strchr(p, '\n');
		char *tab = strchr(p, '\t');
		if (nl)
			*nl = '\0';
		if (tab && (!nl || tab < nl))
			*tab = '\0';
		if (p != text && *p)
			(*names)[n++] = p;
		p = nl ? nl + 1 : p + strlen(p);
	}
	*count = n;
	return text;
}

START_TEST(test_secret_corpus_silent)
{
	dd_buf report = DD_BUF_INIT;
	bool seen[DD_ARRAY_LEN(corpus_expected)] = { false };
	size_t n, files = 0, nhits = 0;
	char **names;
	char *text = manifest_names(&names, &n);

	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		char rel[1024];
		snprintf(rel, sizeof(rel), "realworld/%s", name);
		char *fpath = tu_corpus_path(rel);
		dd_source *src = NULL;
		dd_doc *doc = NULL;
		ck_assert_msg(dd_source_read(&src, fpath) == DD_OK, "%s", dd_error_last());
		ck_assert_msg(dd_doc_parse(&doc, src, NULL) == DD_OK, "%s", dd_error_last());
		corpus_ctx c = { name, &report, seen, 0 };
		for (size_t k = 0; k < doc->ninstrs; k++)
			corpus_instr(&c, doc->instrs[k]);
		nhits += c.nhits;
		files++;
		dd_doc_free(doc);
		dd_source_free(src);
		free(fpath);
	}
	ck_assert_uint_ge(files, 600);
	for (size_t k = 0; k < DD_ARRAY_LEN(corpus_expected); k++)
		ck_assert_msg(seen[k], "expected corpus hit not seen: %s:%u %s",
		    corpus_expected[k].file, corpus_expected[k].line,
		    corpus_expected[k].what);
	ck_assert_msg(nhits == 0, "%zu secret(s) reported in the corpus:%s", nhits,
	    report.ptr);
	dd_buf_free(&report);
	free(names);
	free(text);
}
END_TEST

Suite *
secret_suite(void)
{
	Suite *s = suite_create("secret");
	TCase *names = tcase_create("names");
	TCase *formats = tcase_create("formats");
	TCase *values = tcase_create("values");
	TCase *files = tcase_create("files");
	TCase *robust = tcase_create("robustness");
	TCase *corpus = tcase_create("corpus");

	tcase_add_test(names, test_secret_name_positive);
	tcase_add_test(names, test_secret_name_traps);
	tcase_add_test(names, test_secret_name_why);
	suite_add_tcase(s, names);

	tcase_add_test(formats, test_secret_scan_aws);
	tcase_add_test(formats, test_secret_scan_github_gitlab);
	tcase_add_test(formats, test_secret_scan_slack_stripe_google);
	tcase_add_test(formats, test_secret_scan_npm_pypi);
	tcase_add_test(formats, test_secret_scan_private_key);
	tcase_add_test(formats, test_secret_scan_jwt);
	tcase_add_test(formats, test_secret_scan_url);
	tcase_add_test(formats, test_secret_scan_options);
	tcase_add_test(formats, test_secret_scan_headers);
	tcase_add_test(formats, test_secret_scan_curl_user);
	tcase_add_test(formats, test_secret_scan_assignment);
	tcase_add_test(formats, test_secret_scan_nothing);
	suite_add_tcase(s, formats);

	tcase_add_test(values, test_secret_value_plausible);
	tcase_add_test(values, test_secret_value_not_plausible);
	tcase_add_test(values, test_secret_env_pairs);
	tcase_add_test(values, test_secret_entropy);
	tcase_add_test(values, test_secret_redact);
	tcase_add_test(values, test_secret_redact_all);
	suite_add_tcase(s, values);

	tcase_add_test(files, test_secret_path);
	tcase_add_test(files, test_secret_config_files);
	tcase_add_test(files, test_secret_config_credential);
	suite_add_tcase(s, files);

	tcase_add_test(robust, test_secret_truncations);
	tcase_add_test(robust, test_secret_random_bytes);
	tcase_add_test(robust, test_secret_linear);
	tcase_set_timeout(robust, 120);
	suite_add_tcase(s, robust);

	tcase_add_test(corpus, test_secret_corpus_silent);
	tcase_set_timeout(corpus, 300);
	suite_add_tcase(s, corpus);
	return s;
}
