/*
 * lower.h: stage 5, the model -> the plan: Docker names, the settings of
 * every network, volume, image build and container (labels and config
 * hash included, as Compose 2.26.1 sets them), and the dependency graph.
 */
#ifndef C2SH_LOWER_H
#define C2SH_LOWER_H

struct arena;
struct model;
struct plan;

/* the Compose version written into com.docker.compose.version */
#define LOWER_COMPOSE_VERSION "2.26.1"

/* Build the plan of m (not yet levelled); returns NULL after errors. */
struct plan *lower(struct arena *, const struct model *m);

#endif
