// Calls Umkoin Core's script interpreter (as built by the bitcoinconsensus crate) for
// one input, and hands back Core's script error text: the crate's C API answers only
// "the script failed".

#include <primitives/transaction.h>
#include <script/interpreter.h>
#include <script/script_error.h>
#include <serialize.h>
#include <span.h>
#include <version.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ios>
#include <string>
#include <vector>

namespace {

// Reads one transaction from a byte buffer, as Core's streams do.
class ByteReader
{
public:
    ByteReader(const unsigned char* data, size_t size) : m_data(data), m_left(size) {}
    int GetVersion() const { return PROTOCOL_VERSION; }
    void read(Span<std::byte> dst)
    {
        if (dst.size() > m_left) throw std::ios_base::failure("transaction bytes end early");
        std::memcpy(dst.data(), m_data, dst.size());
        m_data += dst.size();
        m_left -= dst.size();
    }
    template <typename T>
    ByteReader& operator>>(T&& obj)
    {
        ::Unserialize(*this, obj);
        return *this;
    }
    size_t left() const { return m_left; }

private:
    const unsigned char* m_data;
    size_t m_left;
};

} // namespace

// 1: the input's scripts pass; 0: they fail, `error` holds Core's text; -1: the
// arguments do not describe a transaction and its spent outputs.
extern "C" int umkoin_verify_input(
    const unsigned char* tx, unsigned int tx_len,
    const unsigned char* const* spent_scripts, const unsigned int* spent_script_lens,
    const int64_t* spent_amounts, unsigned int spent_count,
    unsigned int input, unsigned int flags,
    char* error, unsigned int error_cap)
{
    try {
        ByteReader reader(tx, tx_len);
        CTransaction transaction(deserialize, reader);
        if (reader.left() != 0 || spent_count != transaction.vin.size() || input >= spent_count) {
            return -1;
        }
        std::vector<CTxOut> spent;
        spent.reserve(spent_count);
        for (unsigned int i = 0; i < spent_count; ++i) {
            spent.emplace_back(spent_amounts[i], CScript(spent_scripts[i], spent_scripts[i] + spent_script_lens[i]));
        }
        PrecomputedTransactionData data;
        data.Init(transaction, std::move(spent), /*force=*/true);
        const CTxOut& prevout = data.m_spent_outputs[input];
        ScriptError script_error = SCRIPT_ERR_OK;
        const bool ok = VerifyScript(
            transaction.vin[input].scriptSig, prevout.scriptPubKey, &transaction.vin[input].scriptWitness, flags,
            TransactionSignatureChecker(&transaction, input, prevout.nValue, data, MissingDataBehavior::FAIL),
            &script_error);
        const std::string text = ScriptErrorString(script_error);
        std::snprintf(error, error_cap, "%s", text.c_str());
        return ok ? 1 : 0;
    } catch (...) {
        return -1;
    }
}
