#include "core/io/archive_guard.h"

#include "core/common/error.h"
#include "core/common/files.h"
#include "core/common/limits.h"

#include <map>
#include <unordered_set>

namespace senn::io {

void checkPickledStorages(caffe2::serialize::PyTorchStreamReader& reader,
                          const std::map<std::string, uint64_t>& entries)
{
    for (const auto& [pickle, folder] : {std::pair<std::string, std::string>{"data.pkl", "data/"},
                                         {"constants.pkl", "constants/"}}) {
        if (!reader.hasRecord(pickle))
            continue;
        std::string prefix;
        for (const auto& e : entries)
            if (e.first.size() > pickle.size() &&
                e.first.compare(e.first.size() - pickle.size() - 1, std::string::npos, "/" + pickle) == 0)
                prefix = e.first.substr(0, e.first.size() - pickle.size());
        const auto [data, size] = reader.getRecord(pickle);
        checkPickleStorages(std::string(static_cast<const char*>(data.get()), size), prefix, folder, entries);
    }
}

void checkTensorInStorage(const torch::Tensor& t, const std::string& what)
{
    if (!t.defined())
        return;
    if (t.layout() != torch::kStrided)
        throw Error(what + " is a " + std::string(c10::toString(t.layout())) +
                    " tensor; only dense tensors are read");
    if (t.numel() == 0)
        return;
    if (!t.has_storage())
        throw Error(what + " has no storage");
    // The furthest element, in elements from the storage's start; every step checked so a
    // crafted size or stride cannot wrap around.
    const __int128 offset = t.storage_offset();
    __int128 last = offset;
    bool bad = offset < 0;
    for (int64_t i = 0; i < t.dim() && !bad; ++i) {
        if (t.stride(i) < 0)
            bad = true;
        else
            last += __int128(t.size(i) - 1) * __int128(t.stride(i));
        bad = bad || last > (__int128(1) << 62);
    }
    const __int128 needed = (last + 1) * __int128(t.element_size());
    if (bad || needed > __int128(t.storage().nbytes()))
        throw Error(what + " (shape " + c10::str(t.sizes()) + ", offset " +
                    std::to_string(t.storage_offset()) + ") points outside its storage of " +
                    std::to_string(t.storage().nbytes()) + " bytes; the file is damaged or crafted");
}

namespace {

void checkValue(const c10::IValue& v, const std::string& what, int depth,
                std::unordered_set<const void*>& seen)
{
    if (depth > 64)
        throw Error(what + " is nested too deeply");
    if (v.isTensor()) {
        checkTensorInStorage(v.toTensor(), what);
    } else if (v.isTensorList()) {
        const auto list = v.toTensorList();
        for (size_t i = 0; i < list.size(); ++i)
            checkTensorInStorage(list.get(i), what + "[" + std::to_string(i) + "]");
    } else if (v.isList()) {
        const auto list = v.toList();
        for (size_t i = 0; i < list.size(); ++i)
            checkValue(list.get(i), what + "[" + std::to_string(i) + "]", depth + 1, seen);
    } else if (v.isTuple()) {
        const auto& elems = v.toTupleRef().elements();
        for (size_t i = 0; i < elems.size(); ++i)
            checkValue(elems[i], what + "[" + std::to_string(i) + "]", depth + 1, seen);
    } else if (v.isGenericDict()) {
        for (const auto& kv : v.toGenericDict()) {
            checkValue(kv.key(), what + " (a key)", depth + 1, seen);
            checkValue(kv.value(), what + " (a value)", depth + 1, seen);
        }
    } else if (v.isObject()) {
        // Plain TorchScript objects hold attributes too; modules are walked by the caller.
        const auto obj = v.toObject();
        if (!seen.insert(obj.get()).second)
            return;
        const size_t n = obj->slots().size();
        for (size_t i = 0; i < n; ++i)
            checkValue(obj->getSlot(i), what + "." + obj->type()->getAttributeName(i), depth + 1, seen);
    }
}

void checkBlock(const torch::jit::Block* block, const std::string& where)
{
    for (const torch::jit::Node* node : block->nodes()) {
        if (node->kind() == c10::prim::Constant && node->outputs().size() == 1 &&
            node->output()->type()->kind() == c10::TypeKind::TensorType) {
            if (auto value = torch::jit::toIValue(node->output()))
                checkTensorInStorage(value->toTensor(), "a tensor constant in " + where);
        }
        for (const torch::jit::Block* inner : node->blocks())
            checkBlock(inner, where);
    }
}

} // namespace

void checkModuleTensors(const torch::jit::Module& module)
{
    std::unordered_set<const void*> seen;
    for (const auto& sub : module.named_modules()) {
        const std::string prefix = sub.name.empty() ? "" : sub.name + ".";
        seen.insert(sub.value._ivalue().get());
        for (const auto& attr : sub.value.named_attributes(/*recurse=*/false)) {
            if (attr.value.isObject() && attr.value.toObject()->type()->is_module())
                continue; // a submodule: named_modules() visits it
            checkValue(attr.value, "the tensor '" + prefix + attr.name + "'", 0, seen);
        }
        for (const auto& method : sub.value.get_methods())
            checkBlock(method.graph()->block(), "'" + prefix + method.name() + "'");
    }
}

} // namespace senn::io
