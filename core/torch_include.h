// The one place core includes LibTorch. Every core .cpp that needs tensors includes this
// header (it is also the precompiled header), never <torch/...> directly, and no public
// header that ui/ includes may include it.
#pragma once
#include <torch/torch.h>
#include <torch/script.h>
