# Installs the headers, the libraries with an exported CMake package
# (find_package(logtail CONFIG) gives logtail::core, the same name as in-tree), and
# logtail.pc for pkg-config.
include(CMakePackageConfigHelpers)

install(DIRECTORY include/logtail DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/logtail/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/logtail)

set(LOGTAIL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/logtail)

# What a consumer must find for the parts beyond the core (which logtailConfig.cmake
# handles itself). Static libraries carry their private dependencies into the consumer's
# link, so each imported target they link needs its find step here.
set(LOGTAIL_CONFIG_DEPENDENCIES "")
if(TARGET logtail_observers)
  if(LOGTAIL_WITH_HYPERSCAN)
    string(APPEND LOGTAIL_CONFIG_DEPENDENCIES
           "_logtail_find_pkg(HYPERSCAN libhs libhyperscan-dev)\n")
  endif()
  if(LOGTAIL_WITH_SIMDJSON)
    string(APPEND LOGTAIL_CONFIG_DEPENDENCIES "find_dependency(simdjson)\n")
  endif()
endif()

if(TARGET logtail_summarizer)
  string(APPEND LOGTAIL_CONFIG_DEPENDENCIES "find_dependency(CURL)\nfind_dependency(simdjson)\n")
endif()
if(TARGET logtail_speaker)
  string(APPEND LOGTAIL_CONFIG_DEPENDENCIES
         "_logtail_find_pkg(ESPEAK_NG espeak-ng libespeak-ng-dev)\n"
         "_logtail_find_pkg(SDL2_MIXER SDL2_mixer libsdl2-mixer-dev)\n")
endif()
install(EXPORT logtailTargets NAMESPACE logtail:: DESTINATION ${LOGTAIL_CMAKE_DIR})
configure_package_config_file(cmake/logtailConfig.cmake.in
    ${PROJECT_BINARY_DIR}/logtailConfig.cmake
    INSTALL_DESTINATION ${LOGTAIL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/logtailConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/logtailConfig.cmake
              ${PROJECT_BINARY_DIR}/logtailConfigVersion.cmake
        DESTINATION ${LOGTAIL_CMAKE_DIR})

# logtail.pc locates its prefix from its own directory, so the tree stays usable when it is
# installed with `cmake --install --prefix DIR` (the prefix is not known at configure time)
# or moved afterwards. Absolute install directories are written as they are.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(LOGTAIL_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(LOGTAIL_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(LOGTAIL_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH pc_to_prefix "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
  set(LOGTAIL_PC_PREFIX "\${pcfiledir}/${pc_to_prefix}")
  set(LOGTAIL_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(LOGTAIL_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(cmake/logtail.pc.in ${PROJECT_BINARY_DIR}/logtail.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/logtail.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
