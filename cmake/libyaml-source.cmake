# Compiles libyaml from an unpacked source tree (VMC_LIBYAML_SOURCE, e.g.
# Debian's libyaml_0.2.5.orig.tar.gz) into the static target `libyaml`, for a
# cross build that has no target build of the library. libyaml's own build
# writes the version into config.h; here the same four macros come from the
# version in its CMakeLists.txt.
file(STRINGS ${VMC_LIBYAML_SOURCE}/CMakeLists.txt libyaml_version_lines
     REGEX "^set \\(YAML_VERSION_(MAJOR|MINOR|PATCH) [0-9]+\\)")
foreach(line IN LISTS libyaml_version_lines)
  string(REGEX MATCH "YAML_VERSION_(MAJOR|MINOR|PATCH) ([0-9]+)" _ "${line}")
  set(libyaml_${CMAKE_MATCH_1} ${CMAKE_MATCH_2})
endforeach()
if(NOT DEFINED libyaml_MAJOR OR NOT DEFINED libyaml_MINOR OR NOT DEFINED libyaml_PATCH)
  message(FATAL_ERROR "VMC_LIBYAML_SOURCE=${VMC_LIBYAML_SOURCE}: no YAML_VERSION_MAJOR/MINOR/PATCH "
                      "in its CMakeLists.txt (expected an unpacked libyaml release)")
endif()
file(GLOB libyaml_sources ${VMC_LIBYAML_SOURCE}/src/*.c)
add_library(libyaml STATIC ${libyaml_sources})
target_include_directories(libyaml SYSTEM PUBLIC ${VMC_LIBYAML_SOURCE}/include)
target_compile_definitions(libyaml
  PUBLIC YAML_DECLARE_STATIC
  PRIVATE YAML_VERSION_MAJOR=${libyaml_MAJOR} YAML_VERSION_MINOR=${libyaml_MINOR}
          YAML_VERSION_PATCH=${libyaml_PATCH}
          YAML_VERSION_STRING="${libyaml_MAJOR}.${libyaml_MINOR}.${libyaml_PATCH}")
# Third-party code: its warnings are not ours to fix.
set_target_properties(libyaml PROPERTIES C_STANDARD 11 COMPILE_OPTIONS "-w" UNITY_BUILD OFF)
