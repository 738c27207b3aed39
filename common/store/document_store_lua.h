// The Lua script behind DocumentStore writes (see document_store_lua.cc).
#ifndef BROBYGGER_COMMON_STORE_DOCUMENT_STORE_LUA_H_
#define BROBYGGER_COMMON_STORE_DOCUMENT_STORE_LUA_H_

namespace brobygger::store {

extern const char kDocumentWriteLua[];

}  // namespace brobygger::store

#endif  // BROBYGGER_COMMON_STORE_DOCUMENT_STORE_LUA_H_
