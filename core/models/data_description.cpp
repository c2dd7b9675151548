// describeData and datasetLike (data_description.h): one list of the data fields a model card
// carries, so a new field is copied both ways in one place.
#include "core/models/data_description.h"

namespace senn::models {

void describeData(ModelMeta& meta, const data::Dataset& data)
{
    meta.dataKind = data.kind;
    meta.inputShape = data.sampleShape;
    meta.classNames = data.classNames;
    meta.featureNames = data.featureNames;
    meta.dataSource = data.source;
    meta.targetName = data.targetName;
    meta.transforms = data.transforms;
}

data::Dataset datasetLike(const ModelMeta& meta)
{
    data::Dataset like;
    like.kind = meta.dataKind;
    like.sampleShape = meta.inputShape;
    like.classNames = meta.classNames;
    like.featureNames = meta.featureNames;
    like.source = meta.dataSource;
    like.targetName = meta.targetName;
    like.transforms = meta.transforms;
    return like;
}

} // namespace senn::models
