/* Stand-ins for broken backend plugins (plugin.test): without -DABI it
 * exports only the version entry point; with -DABI=N both, version N. */
#ifndef ABI
int tern_backend_plugin_abi_version(void) { return 1; }
#else
int tern_backend_plugin_abi_version(void) { return ABI; }
void tern_backend_plugin_register(void) {}
#endif
