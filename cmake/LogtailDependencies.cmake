# Every dependency comes from Debian's packages, through its CMake package or pkg-config.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(ZLIB REQUIRED)
pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET GLOBAL libuv>=1.40)
