# Debian package of the service: `cpack -G DEB` in a build directory.
#
# Install components:
#   service  the ordersvc binary, its configuration and systemd unit. A full install
#            and the default `cpack -G DEB` (one package, "ordersvc") contain only this.
#   sdk      the plugin SDK for third-party plugins (plugin-api/CMakeLists.txt): headers,
#            JSON Schemas and the CMake package OrdersvcPluginSDK. Its install rules are
#            EXCLUDE_FROM_ALL, so it is installed only by name:
#              cmake --install <build> --prefix <dir> --component sdk
#            or packaged as its own .deb next to the service's:
#              cpack -G DEB -D CPACK_DEB_COMPONENT_INSTALL=ON
#            (ordersvc_<version>_<arch>.deb and ordersvc-plugin-sdk_<version>_all.deb).
install(FILES ${PROJECT_SOURCE_DIR}/config/ordersvc.properties DESTINATION /etc/ordersvc COMPONENT service)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ordersvc.service DESTINATION /lib/systemd/system COMPONENT service)

set(CPACK_PACKAGE_NAME "ordersvc")
set(CPACK_PACKAGE_VENDOR "ordersvc")
set(CPACK_PACKAGE_CONTACT "ordersvc maintainers <ordersvc@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Order-management service of the ERP (carts, orders, payments, fulfillment)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEB_COMPONENT_INSTALL OFF)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")

# Used only when packaging per component (CPACK_DEB_COMPONENT_INSTALL=ON): the service
# keeps its package name, the SDK gets its own architecture-independent -dev style
# package. (The .deb version is the service's; the SDK's CMake package version is the
# plugin ABI version, see plugin-api/CMakeLists.txt.)
set(CPACK_COMPONENTS_ALL service sdk)
set(CPACK_DEBIAN_SERVICE_PACKAGE_NAME "ordersvc")
set(CPACK_DEBIAN_SDK_PACKAGE_NAME "ordersvc-plugin-sdk")
set(CPACK_DEBIAN_SDK_PACKAGE_ARCHITECTURE "all")
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_SDK_PACKAGE_SHLIBDEPS OFF)
include(CPack)

cpack_add_component(service
  DISPLAY_NAME "ordersvc service"
  DESCRIPTION "The ordersvc binary, its default configuration and systemd unit.")
cpack_add_component(sdk
  DISPLAY_NAME "ordersvc plugin SDK"
  DESCRIPTION "Headers (C ABI and C++17 helper), JSON Schemas and the CMake package OrdersvcPluginSDK for building ordersvc plugins (find_package(OrdersvcPluginSDK 1.0)).")
