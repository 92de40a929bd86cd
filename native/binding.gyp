# Optional native fast path for mcastbench (Linux only). Built by scripts/build-native.mjs with
# an explicit --nodedir so node-gyp never tries to download headers. See native/README.md.
{
  "targets": [
    {
      "target_name": "mcastbench_native",
      "sources": [
        "src/addon.cc",
        "src/util.cc",
        "src/sockets.cc",
        "src/multicast.cc",
        "src/receiver.cc",
        "src/sender.cc",
        "src/pacer.cc",
        "src/raw.cc"
      ],
      "dependencies": [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-fexceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "conditions": [
        ["OS!='linux'", { "sources!": ["src/util.cc", "src/sockets.cc", "src/multicast.cc", "src/receiver.cc", "src/sender.cc", "src/pacer.cc", "src/raw.cc"] }]
      ]
    }
  ]
}
