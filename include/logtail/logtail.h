// Everything a host needs to embed the core.
#pragma once

#include "logtail/checkpoint.h"
#include "logtail/diagnostic.h"
#include "logtail/engine.h"
#include "logtail/event.h"
#include "logtail/line.h"
#include "logtail/multiline.h"
#include "logtail/observer.h"
#include "logtail/observers.h"
#include "logtail/parse.h"
#include "logtail/queued_sink.h"
#include "logtail/registry.h"
#include "logtail/sink.h"
#include "logtail/sinks.h"
#include "logtail/status.h"
#include "logtail/version.h"
