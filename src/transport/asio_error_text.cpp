#include "asio_error_text.hpp"

#include "system_error_text.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>

#include <cctype>

namespace crun::transport::detail {

namespace http = boost::beast::http;

bool is_closed_early(const boost::system::error_code& ec)
{
  return ec == boost::asio::error::eof || ec == http::error::end_of_stream ||
         ec == http::error::partial_message;
}

std::string error_text(const boost::system::error_code& ec)
{
  if (is_closed_early(ec)) {
    return "connection closed by the engine";
  }
  if (ec == boost::asio::error::operation_aborted) {
    return "operation aborted";
  }
  if (ec.category() == boost::system::system_category() ||
      ec.category() == boost::system::generic_category()) {
    return errno_text(ec.value());
  }
  // OpenSSL and Beast texts: keep them, in the project's case.
  std::string text = ec.message();
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  while (!text.empty() && text.back() == '.') {
    text.pop_back();
  }
  return text;
}

bool is_http_parse_error(const boost::system::error_code& ec)
{
  return ec.category() == http::make_error_code(http::error::bad_version).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message &&
         ec != http::error::need_buffer;
}

} // namespace crun::transport::detail
