#pragma once
// Private to src/transport: project-style descriptions of Boost error codes.

#include <boost/system/error_code.hpp>

#include <string>

namespace crun::transport::detail {

/// A short, lower-case description of `ec`: "no such file", "connection
/// closed by the engine", "certificate verify failed". Never fails.
std::string error_text(const boost::system::error_code& ec);

/// Whether `ec` says the bytes received were not valid HTTP (as opposed to
/// the connection failing). Never fails.
bool is_http_parse_error(const boost::system::error_code& ec);

/// Whether `ec` says the peer closed the connection (before a message
/// ended). Never fails.
bool is_closed_early(const boost::system::error_code& ec);

} // namespace crun::transport::detail
