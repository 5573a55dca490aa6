#pragma once
// The crun::Error a piece of test code throws, for asserting on its Errc and
// its whole message.

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::test {

/// The crun::Error that `f` throws; a test failure (and an internal error with
/// an empty message) if it throws none.
template <class F>
Error error_of(F&& f)
{
  try {
    f();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no crun::Error thrown";
  return Error(Errc::internal, "");
}

} // namespace crun::test
