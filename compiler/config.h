/*
 * config.h: the normalized compose model printed in the shape of
 * `docker compose config` (YAML, or JSON with --format json): what the
 * front end understood.  Not a backend: it reads the model, not the plan.
 */
#ifndef C2SH_CONFIG_H
#define C2SH_CONFIG_H

struct buf;
struct model;

enum config_format { CONFIG_YAML, CONFIG_JSON };

void config_emit(const struct model *, enum config_format, struct buf *);

#endif
