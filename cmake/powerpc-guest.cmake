# Cross-compiles small bare-metal PowerPC (e500mc) guest programs as part of
# the host build, with the powerpc-linux-gnu toolchain the setup installs.
# The host build keeps its own compiler: guests are custom commands, not a
# second toolchain.
#
#   vmc_powerpc_guest(<name>
#       SOURCES <.c and .S files>
#       LINKER_SCRIPT <file>
#       OUTPUT <path of the ELF to write>
#       [FLAGS <extra compiler flags, after the common ones>])
#
# defines a target <name> that builds OUTPUT. VMC_POWERPC_GUEST_CC is the
# cross compiler, or empty when it is not installed (callers skip guests then).

find_program(VMC_POWERPC_GUEST_CC NAMES powerpc-linux-gnu-gcc)

set(VMC_POWERPC_GUEST_FLAGS
    -mcpu=e500mc -mbig-endian -m32 -ffreestanding -nostdlib -fno-pic -msoft-float -msdata=none
    -O2 -g -Wall -Wextra -Werror -Wa,-mregnames)

function(vmc_powerpc_guest name)
  cmake_parse_arguments(ARG "" "LINKER_SCRIPT;OUTPUT" "SOURCES;FLAGS" ${ARGN})
  if(NOT VMC_POWERPC_GUEST_CC)
    message(FATAL_ERROR "vmc_powerpc_guest(${name}): powerpc-linux-gnu-gcc not found (run scripts/setup)")
  endif()
  set(objdir ${CMAKE_CURRENT_BINARY_DIR}/${name}.objs)
  set(objects "")
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(abs ${src} ABSOLUTE)
    get_filename_component(base ${src} NAME)
    set(obj ${objdir}/${base}.o)
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${objdir}
      COMMAND ${VMC_POWERPC_GUEST_CC} ${VMC_POWERPC_GUEST_FLAGS} ${ARG_FLAGS} -MD -MF ${obj}.d -c ${abs} -o ${obj}
      DEPENDS ${abs}
      DEPFILE ${obj}.d
      COMMENT "Cross-compiling ${name}: ${base}"
      VERBATIM)
    list(APPEND objects ${obj})
  endforeach()
  get_filename_component(script ${ARG_LINKER_SCRIPT} ABSOLUTE)
  get_filename_component(outdir ${ARG_OUTPUT} DIRECTORY)
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
    COMMAND ${VMC_POWERPC_GUEST_CC} ${VMC_POWERPC_GUEST_FLAGS} ${ARG_FLAGS} -static -no-pie -T ${script}
            -Wl,--build-id=none -Wl,--no-warn-rwx-segments ${objects} -lgcc -o ${ARG_OUTPUT}
    DEPENDS ${objects} ${script}
    COMMENT "Linking guest ${ARG_OUTPUT}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${ARG_OUTPUT})
endfunction()
