# Run after a plugin links: fills the manifest template with the library's sha256.
file(SHA256 ${LIBRARY} PLUGIN_SHA256)
get_filename_component(PLUGIN_LIBRARY ${LIBRARY} NAME)
configure_file(${MANIFEST_IN} ${MANIFEST_OUT} @ONLY)
