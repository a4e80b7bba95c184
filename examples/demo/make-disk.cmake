# Writes the demo's 64 KiB raw disk image: 128 sectors of 512 bytes, each
# starting with a line that names it, so a guest that reads any sector can
# show that it read the right one. Run with -DOUTPUT=<path>.
if(NOT OUTPUT)
  message(FATAL_ERROR "make-disk.cmake: pass -DOUTPUT=<path>")
endif()
set(image "")
foreach(sector RANGE 0 127)
  string(LENGTH "${sector}" digits)
  math(EXPR zeros "3 - ${digits}")
  string(REPEAT "0" ${zeros} pad)
  set(line "vmcompose demo disk, sector ${pad}${sector}\n")
  string(LENGTH "${line}" used)
  math(EXPR rest "512 - ${used}")
  string(REPEAT "." ${rest} fill)
  string(APPEND image "${line}${fill}")
endforeach()
file(WRITE ${OUTPUT}.tmp "${image}")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
