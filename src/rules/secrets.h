/* Helpers shared by the secret rules (DD201–DD205). */
#ifndef DD_RULES_SECRETS_H
#define DD_RULES_SECRETS_H

#include "drydock/buf.h"
#include "drydock/rule.h"
#include "drydock/secret.h"

/* The first token-format secret in text, or false. */
bool dd_first_secret(const char *text, size_t len, dd_secret_hit *hit);

/* Value without one pair of surrounding quotes. */
void dd_unquote(const char *s, size_t len, const char **out, size_t *olen);

/* The name of the first variable a value refers to ($X, ${X…}), or false. */
bool dd_first_variable(const char *s, size_t len, const char **name, size_t *nlen);

/* Is name an ARG declared before ins (in its stage, or globally)? */
bool dd_is_build_arg(const dd_doc *doc, const dd_instr *ins, const char *name, size_t len);

#endif
