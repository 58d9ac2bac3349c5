# reckon_add_adapter_test: registers `reckon adapter-check` on a PSP adapter as a ctest test
# (docs/adapters.md).
#
#   reckon_add_adapter_test(NAME <test name>
#                           TARGET <adapter executable target> | COMMAND <shell command>
#                           [SEEDS A..B] [ARGS <more adapter-check arguments>...])
#
# The test passes when every behaviour passes (exit 0) and writes JUnit XML to
# <build dir>/<test name>.junit.xml. The reckon executable is the target named by
# RECKON_ADAPTER_CHECK_TARGET (default Reckon::reckon, from find_package(Reckon)).
function(reckon_add_adapter_test)
  cmake_parse_arguments(RAT "" "NAME;TARGET;COMMAND;SEEDS" "ARGS" ${ARGN})
  if(NOT RAT_NAME)
    message(FATAL_ERROR "reckon_add_adapter_test: NAME is required")
  endif()
  if(RAT_TARGET)
    set(adapter "$<TARGET_FILE:${RAT_TARGET}>")
  elseif(RAT_COMMAND)
    set(adapter "${RAT_COMMAND}")
  else()
    message(FATAL_ERROR "reckon_add_adapter_test(${RAT_NAME}): give TARGET or COMMAND")
  endif()
  if(NOT RAT_SEEDS)
    set(RAT_SEEDS "1..10")
  endif()
  set(reckon_target "${RECKON_ADAPTER_CHECK_TARGET}")
  if(NOT reckon_target)
    set(reckon_target Reckon::reckon)
  endif()
  add_test(NAME ${RAT_NAME}
           COMMAND $<TARGET_FILE:${reckon_target}> adapter-check --adapter "${adapter}"
                   --seeds ${RAT_SEEDS} --junit ${CMAKE_CURRENT_BINARY_DIR}/${RAT_NAME}.junit.xml
                   ${RAT_ARGS})
endfunction()
