// sim::undocumented_answer judges an answer by docs/api.md's routes and refusals (and
// docs/psp-dialect.md's for PSP notices), read from the documents, never from the engine.

#include "sim/answer_documented.h"

#include <gtest/gtest.h>

#include <string>

namespace reckon::test {
namespace {

engine::HttpRequest request(const std::string& method, const std::string& target) {
  engine::HttpRequest r;
  r.method = method;
  r.target = target;
  return r;
}

engine::HttpResponse error(int status, const std::string& code) {
  return {status, R"({"error":{"code":")" + code + R"(","message":"why"}})"};
}

engine::HttpResponse declined(const std::string& code, const std::string& charge_id) {
  return {402, R"({"error":{"code":")" + code + R"(","message":"why"},"charge":{"id":")" +
                   charge_id + R"("}})"};
}

bool documented(const engine::HttpRequest& r, const engine::HttpResponse& a) {
  return sim::undocumented_answer(r, a).empty();
}

TEST(AnswerDocumented, EachRouteHasItsSuccessStatus) {
  EXPECT_TRUE(documented(request("POST", "/v1/charges"), {201, "{}"}));
  EXPECT_FALSE(documented(request("POST", "/v1/charges"), {200, "{}"}));
  EXPECT_TRUE(documented(request("POST", "/v1/charges/ch_1/capture"), {200, "{}"}));
  EXPECT_FALSE(documented(request("POST", "/v1/charges/ch_1/refund"), {201, "{}"}));
  EXPECT_TRUE(documented(request("GET", "/v1/charges/ch_1"), {200, "{}"}));
  EXPECT_TRUE(documented(request("GET", "/v1/charges?limit=3"), {200, "{}"}));
  EXPECT_FALSE(documented(request("GET", "/v1/nothing"), {200, "{}"}));
  EXPECT_FALSE(documented(request("DELETE", "/v1/charges/ch_1"), {200, "{}"}));
}

TEST(AnswerDocumented, AFailedCommitIs503StorageUnavailableAndNothingElse) {
  const auto create = request("POST", "/v1/charges");
  EXPECT_TRUE(documented(create, error(503, "storage_unavailable")));
  EXPECT_TRUE(documented(create, error(503, "psp_outcome_unknown")));
  const std::string problem = sim::undocumented_answer(create, error(504, "storage_unavailable"));
  EXPECT_NE(problem.find("504 storage_unavailable"), std::string::npos) << problem;
  EXPECT_NE(problem.find("503 storage_unavailable"), std::string::npos) << problem;
  EXPECT_FALSE(documented(create, error(500, "storage_unavailable")));
  // GETs commit nothing: docs/api.md gives them no 503.
  EXPECT_FALSE(documented(request("GET", "/v1/charges/ch_1"), error(503, "storage_unavailable")));
}

TEST(AnswerDocumented, RefusalsBelongToTheirRoutes) {
  const auto capture = request("POST", "/v1/charges/ch_1/capture");
  const auto void_ = request("POST", "/v1/charges/ch_1/void");
  const auto refund = request("POST", "/v1/charges/ch_1/refund");
  EXPECT_TRUE(documented(capture, error(409, "charge_not_capturable")));
  EXPECT_TRUE(documented(capture, error(409, "authorization_expired")));
  EXPECT_TRUE(documented(capture, error(400, "amount_exceeds_authorization")));
  EXPECT_FALSE(documented(capture, error(409, "amount_exceeds_authorization")));
  EXPECT_FALSE(documented(capture, error(409, "charge_not_voidable")));
  EXPECT_TRUE(documented(void_, error(409, "charge_not_voidable")));
  EXPECT_FALSE(documented(void_, error(409, "authorization_expired")));
  EXPECT_FALSE(documented(void_, error(400, "amount_invalid")));
  EXPECT_TRUE(documented(refund, error(400, "amount_exceeds_refundable")));
  EXPECT_FALSE(documented(refund, error(400, "amount_exceeds_authorization")));
  EXPECT_TRUE(documented(refund, error(404, "charge_not_found")));
  EXPECT_FALSE(documented(refund, error(404, "route_not_found")));
  EXPECT_TRUE(documented(refund, error(422, "idempotency_key_reused")));
  EXPECT_FALSE(documented(request("GET", "/v1/charges"), error(422, "idempotency_key_reused")));
  EXPECT_TRUE(documented(request("GET", "/v1/charges?limit=0"), error(400, "limit_invalid")));
  EXPECT_FALSE(documented(request("GET", "/v1/charges/ch_1"), error(400, "limit_invalid")));
  EXPECT_TRUE(documented(request("GET", "/v1/charges/ch_1"), error(401, "unauthorized")));
  EXPECT_TRUE(documented(request("PUT", "/v1/charges"), error(404, "route_not_found")));
  EXPECT_FALSE(documented(request("PUT", "/v1/charges"), error(405, "method_not_allowed")));
  // "Common refusals on every POST": docs/api.md does not say routing comes first.
  EXPECT_TRUE(documented(request("POST", "/v1/charge"), error(400, "idempotency_key_missing")));
  EXPECT_FALSE(documented(request("GET", "/v1/charge"), error(400, "idempotency_key_missing")));
}

TEST(AnswerDocumented, A402NamesTheRoutesOwnCodeAndCarriesTheCharge) {
  const auto void_ = request("POST", "/v1/charges/ch_1/void");
  EXPECT_TRUE(documented(void_, declined("void_failed", "ch_1")));
  EXPECT_FALSE(documented(void_, declined("capture_failed", "ch_1")));
  EXPECT_FALSE(documented(void_, declined("void_failed", "ch_2")));
  EXPECT_FALSE(documented(void_, error(402, "void_failed")));
  EXPECT_TRUE(documented(request("POST", "/v1/charges"), declined("payment_declined", "ch_9")));
  EXPECT_FALSE(documented(request("POST", "/v1/charges"), declined("void_declined", "ch_9")));
}

TEST(AnswerDocumented, AnErrorIsTheDocumentedShape) {
  const auto create = request("POST", "/v1/charges");
  EXPECT_FALSE(documented(create, {400, "amount_invalid"}));
  EXPECT_FALSE(documented(create, {400, R"({"error":{"code":"amount_invalid"}})"}));
  EXPECT_FALSE(documented(create, {400, R"({"code":"amount_invalid","message":"x"})"}));
}

TEST(AnswerDocumented, PspNoticesHaveTheirOwnAnswers) {
  const auto notice = request("POST", "/v1/psp/webhooks");
  EXPECT_TRUE(documented(notice, {200, R"({"received":true,"disposition":"applied"})"}));
  EXPECT_TRUE(documented(notice, error(401, "invalid_signature")));
  EXPECT_TRUE(documented(notice, error(409, "operation_in_flight")));
  EXPECT_FALSE(documented(notice, error(401, "unauthorized")));
  EXPECT_FALSE(documented(notice, error(422, "idempotency_key_reused")));
  // Spelled otherwise, it may be the notice route or no merchant route at all.
  EXPECT_TRUE(documented(request("POST", "/v1/psp/webhooks?x=1"), error(401, "unauthorized")));
  EXPECT_TRUE(documented(request("POST", "/v1/psp/webhooks/"), error(401, "invalid_signature")));
  EXPECT_FALSE(documented(request("POST", "/v1/psp/webhooks?x=1"), error(402, "void_failed")));
  // A GET of it is a merchant's request for a route docs/api.md does not list.
  EXPECT_TRUE(documented(request("GET", "/v1/psp/webhooks"), error(404, "route_not_found")));
  EXPECT_FALSE(documented(request("GET", "/v1/psp/webhooks"), error(401, "invalid_signature")));
}

TEST(AnswerDocumented, TargetsTheDocumentsDoNotSpellMayBeNoRoute) {
  // docs/api.md does not say what an empty segment or a trailing slash means.
  EXPECT_TRUE(documented(request("GET", "/v1/charges/"), error(404, "route_not_found")));
  EXPECT_TRUE(documented(request("GET", "/v1/charges/"), {200, "{}"}));
  EXPECT_TRUE(documented(request("GET", "//v1/charges/ch_1"), error(404, "charge_not_found")));
  EXPECT_TRUE(documented(request("GET", "v1/charges/ch_1"), error(404, "route_not_found")));
  EXPECT_TRUE(documented(request("POST", "/v1/charges?x=1"), error(400, "parameter_unknown")));
  // ... but never an answer no reading of it allows.
  EXPECT_FALSE(documented(request("GET", "/v1/charges/"), error(409, "charge_not_capturable")));
  EXPECT_FALSE(documented(request("GET", "/"), {200, "{}"}));
}

}  // namespace
}  // namespace reckon::test
