// Closing libuv handles: each handle is heap-allocated by its owner and freed in its close
// callback, the only point where libuv is done with it.
#pragma once

#include <uv.h>

namespace logtail::detail {

template <class Handle>
void close_handle(Handle*& handle) {
  if (handle == nullptr) return;
  uv_close(reinterpret_cast<uv_handle_t*>(handle),
           [](uv_handle_t* h) { delete reinterpret_cast<Handle*>(h); });
  handle = nullptr;
}

}  // namespace logtail::detail
