{
  "targets": [
    {
      "target_name": "ecode_native",
      "sources": ["src/native.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-Wall", "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=off"],
      "libraries": ["-lopenblas"]
    }
  ]
}
