# Configure-time proof that errors are enforced by the compiler: a translation unit that drops a
# returned Status must fail to compile (Result is [[nodiscard]], warnings are errors), while the
# same unit that looks at it compiles (so the failure is the dropped value, not a broken setup).
function(kallithea_check_nodiscard)
  set(flags -Werror -Wall -I${PROJECT_SOURCE_DIR}/src)
  try_compile(kept ${CMAKE_BINARY_DIR}/nodiscard_check/kept
              SOURCES ${PROJECT_SOURCE_DIR}/cmake/checks/kept_result.cpp
              COMPILE_DEFINITIONS ${flags}
              CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON
              OUTPUT_VARIABLE kept_out)
  if(NOT kept)
    message(FATAL_ERROR "nodiscard check: the control unit does not compile:\n${kept_out}")
  endif()
  try_compile(dropped ${CMAKE_BINARY_DIR}/nodiscard_check/dropped
              SOURCES ${PROJECT_SOURCE_DIR}/cmake/checks/dropped_result.cpp
              COMPILE_DEFINITIONS ${flags}
              CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON
              OUTPUT_VARIABLE dropped_out)
  if(dropped)
    message(FATAL_ERROR "nodiscard check: a dropped Status compiled; Result must be [[nodiscard]]")
  endif()
  if(NOT dropped_out MATCHES "nodiscard|unused-result|unused result")
    message(FATAL_ERROR "nodiscard check: the dropped Status failed for another reason:\n${dropped_out}")
  endif()
  message(STATUS "nodiscard check: a dropped Status does not compile")
endfunction()
kallithea_check_nodiscard()
