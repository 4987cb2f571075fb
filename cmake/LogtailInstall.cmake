include(CMakePackageConfigHelpers)

install(DIRECTORY include/logtail DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/logtail/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/logtail)

install(EXPORT logtailTargets NAMESPACE logtail::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/logtail)
configure_package_config_file(cmake/logtailConfig.cmake.in
    ${PROJECT_BINARY_DIR}/logtailConfig.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/logtail)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/logtailConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/logtailConfig.cmake
              ${PROJECT_BINARY_DIR}/logtailConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/logtail)

configure_file(cmake/logtail.pc.in ${PROJECT_BINARY_DIR}/logtail.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/logtail.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
