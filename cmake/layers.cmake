# kallithea_layer(NAME DEPS...): a static library of the folder's *.cpp (tests excluded) and,
# when the folder has *_test.cpp files, a GoogleTest executable test_NAME registered with CTest.
function(kallithea_layer name)
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  list(FILTER srcs EXCLUDE REGEX "_test\\.cpp$")
  if(srcs)
    add_library(kallithea_${name} STATIC ${srcs})
    target_include_directories(kallithea_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(kallithea_${name} PUBLIC ${ARGN})
  else()
    # A layer with no code yet still links its dependencies for the layers above it.
    add_library(kallithea_${name} INTERFACE)
    target_include_directories(kallithea_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(kallithea_${name} INTERFACE ${ARGN})
  endif()
  if(BUILD_TESTING)
    file(GLOB_RECURSE tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
    if(tests)
      add_executable(test_${name} ${tests})
      target_link_libraries(test_${name} PRIVATE kallithea_${name} GTest::gtest GTest::gtest_main)
      gtest_discover_tests(test_${name} TEST_PREFIX "${name}." DISCOVERY_TIMEOUT 60
                           PROPERTIES ENVIRONMENT "KALLITHEA_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
    endif()
  endif()
endfunction()

# kallithea_embed(TARGET NAMESPACE BASEDIR FILES...): compiles FILES into TARGET as a lookup table
# `NAMESPACE::find(path)` returning the bytes, keyed by the path relative to BASEDIR.
function(kallithea_embed target ns basedir)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${ns}_embedded.cpp)
  add_custom_command(OUTPUT ${out}
    COMMAND embedgen ${out} ${ns} ${basedir} ${ARGN}
    DEPENDS embedgen ${ARGN}
    COMMENT "Embedding ${ns}")
  target_sources(${target} PRIVATE ${out})
endfunction()
