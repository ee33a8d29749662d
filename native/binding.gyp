{
  "targets": [
    {
      "target_name": "tradecore_native",
      "sources": [
        "src/addon.cc",
        "src/affinity.cc",
        "src/shared_mapping.cc",
        "src/socket_io.cc",
        "src/futex.cc",
        "src/priority.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags!": [ "-fno-exceptions" ],
      "cflags_cc!": [ "-fno-exceptions" ],
      "cflags_cc": [ "-fexceptions" ],
      "libraries": [ "-lrt" ],
      # Never unloaded: a mapping's deleter (UnmapDeleter) lives in this library and V8 may run it when a
      # worker's isolate is torn down, after Node has dlclose()d the addon that worker loaded.
      "ldflags": [ "-Wl,-z,nodelete" ],
      "configurations": {
        "Release": {
          "cflags!": [ "-O3" ],
          "cflags_cc!": [ "-O3" ],
          "cflags": [ "-O2" ],
          "cflags_cc": [ "-O2" ]
        }
      }
    }
  ]
}
