#include "engine/state_machine.h"

namespace reckon::engine {

bool is_legal_transition(std::string_view from, std::string_view to) {
  for (const auto& t : kLegalTransitions) {
    if (t.from == from && t.to == to) return true;
  }
  return false;
}

bool is_terminal_status(std::string_view status) {
  for (const auto& t : kLegalTransitions) {
    if (t.from == status) return false;
  }
  return true;
}

std::string charge_status_triggers_sql() {
  // Built from the constant table above, never from request data. The legal transitions are
  // one text ",from>to,...," searched with instr(): a NOT IN list of constants would make
  // SQLite build a temporary b-tree of the list on every status update.
  std::string allowed = ",";
  for (const auto& t : kLegalTransitions) {
    allowed += std::string(t.from) + ">" + std::string(t.to) + ",";
  }
  return "CREATE TRIGGER IF NOT EXISTS charges_insert_pending BEFORE INSERT ON charges\n"
         "WHEN NEW.status <> 'pending'\n"
         "BEGIN SELECT RAISE(ABORT, 'a charge starts pending'); END;\n"
         "CREATE TRIGGER IF NOT EXISTS charges_status_transition BEFORE UPDATE OF status ON "
         "charges\n"
         "WHEN OLD.status <> NEW.status AND instr('" +
         allowed +
         "', ',' || OLD.status || '>' || NEW.status || ',') = 0\n"
         "BEGIN SELECT RAISE(ABORT, 'illegal charge status transition'); END;\n";
}

}  // namespace reckon::engine
