#include "sim/psp_notice_answer_check.h"

#include "sim/store_reader.h"

namespace reckon::sim {

std::string notice_answer_problem(sqlite3* store, const NoticeFacts& notice,
                                  const std::string& disposition) {
  StoreReader reader;
  reader.attach(store);
  auto& st =
      reader.prepare("SELECT id, kind, amount_minor, status FROM operations WHERE psp_key = ?1");
  st.bind(1, notice.key);
  const bool found = st.step() == SQLITE_ROW;
  const std::string id = found ? st.column_text(0) : "";
  const std::string kind = found ? st.column_text(1) : "";
  const int64_t amount = found ? st.column_int(2) : 0;
  const std::string status = found ? st.column_text(3) : "";
  st.reset();

  const std::string said = "the engine answered PSP notice " + notice.event_id + " (" +
                           notice.operation + " " + std::to_string(notice.amount_minor) + " " +
                           notice.outcome + ", key " + notice.key + ") '" + disposition + "'";
  const std::string stored =
      found ? "operation " + id + " (" + kind + " " + std::to_string(amount) + ") is " + status
            : "no operation has the key";
  const bool booked = status == "succeeded" || status == "declined" || status == "failed";
  // docs/psp-dialect.md: a void carries no amount, so only its kind can differ.
  const bool same_operation =
      found && kind == notice.operation && (kind == "void" || amount == notice.amount_minor);
  bool agrees = true;
  if (disposition == "applied") {
    agrees = same_operation && status == notice.outcome;
  } else if (disposition == "already_final") {
    agrees = booked;
  } else if (disposition == "unknown_operation") {
    agrees = !found;
  } else if (disposition == "mismatch") {
    agrees = found && !same_operation;
  } else {
    return said + ", a disposition docs/psp-dialect.md does not have";
  }
  return agrees ? ""
                : said + ", but in its store " + stored + " (docs/psp-dialect.md, \"Webhooks\")";
}

}  // namespace reckon::sim
