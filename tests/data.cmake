# Data unit: loaders (CSV, IDX, image folders, NumPy), splits and standardisation, Decoy MNIST.
senn_add_test(test_data_csv SOURCES test_data_csv.cpp TIMEOUT 120)
senn_add_test(test_data_binary SOURCES test_data_binary.cpp TIMEOUT 120 LIBS ZLIB::ZLIB)
senn_add_test(test_data_images SOURCES test_data_images.cpp TIMEOUT 120 LIBS ${OpenCV_LIBS})
target_include_directories(test_data_images PRIVATE ${OpenCV_INCLUDE_DIRS})
senn_add_test(test_data_split SOURCES test_data_split.cpp TIMEOUT 120)
senn_add_test(test_data_decoy SOURCES test_data_decoy.cpp TIMEOUT 120)
