# Debian package of the service: `cpack -G DEB` in a build directory.
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
include(CPack)
